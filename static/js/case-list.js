// Case list: the status picker (a <details> dropdown) closes on a click outside it or on Escape,
// and its summary says how many statuses are ticked.
const picker = document.querySelector(".status-picker");

if (picker) {
  const summary = picker.querySelector("summary");
  const boxes = Array.from(picker.querySelectorAll("input[type=checkbox]"));
  const update = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    summary.textContent = ticked ? `${ticked} selected` : "Any";
  };
  boxes.forEach((box) => box.addEventListener("change", update));
  document.addEventListener("click", (event) => {
    if (picker.open && !picker.contains(event.target)) picker.open = false;
  });
  picker.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && picker.open) {
      picker.open = false;
      summary.focus();
    }
  });
}
