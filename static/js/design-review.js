// The design to approve (templates/files/design_review.html): "View 3D" opens the model in the
// viewer right under the Approve / Request changes buttons.
const root = document.querySelector("[data-design-review]");
if (root) {
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-view3d]");
    if (!button) return;
    const { openViewer } = await import("./viewer3d.js");
    openViewer(root.querySelector("[data-viewer]"), {
      url: button.dataset.url,
      name: button.dataset.name,
      ext: button.dataset.ext,
      size: Number(button.dataset.size),
    });
  });
}
