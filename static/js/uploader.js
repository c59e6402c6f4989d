// Case files panel: drag-and-drop uploads with a progress bar per file, straight to the bucket
// (presigned PUT, or multipart with presigned part URLs, bounded parallelism and retries) or to
// the app when no bucket is configured; then `complete`. Also deletion and the 3D viewer.
// An ES module with no inline code, for the strict Content-Security-Policy.

import { humanSize } from "./format.js";

const panel = document.querySelector("[data-files-panel]");

const MAX_ATTEMPTS = 4;

function extensionOf(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Cancelled extends Error {}

// One XHR (fetch has no upload progress). Resolves with status, body and the ETag header.
function send({ method, url, body, headers = {}, onProgress, item }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onProgress) xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    xhr.addEventListener("load", () =>
      resolve({ status: xhr.status, text: xhr.responseText, etag: xhr.getResponseHeader("ETag") }),
    );
    xhr.addEventListener("error", () => reject(new Error("network error")));
    xhr.addEventListener("abort", () => reject(new Cancelled("cancelled")));
    item.requests.add(xhr);
    xhr.addEventListener("loadend", () => item.requests.delete(xhr));
    xhr.send(body);
  });
}

function errorMessage(response, fallback) {
  try {
    const data = JSON.parse(response.text);
    if (data.detail) return data.detail;
  } catch {
    // not JSON
  }
  return `${fallback} (HTTP ${response.status})`;
}

class UploadItem {
  constructor(file, kind, queue) {
    this.file = file;
    this.kind = kind;
    this.requests = new Set();
    this.cancelled = false;
    this.row = document.createElement("li");
    this.row.className = "upload-item";
    this.row.dataset.testid = "upload-row";
    this.row.dataset.name = file.name;
    const head = document.createElement("div");
    head.className = "d-flex align-items-center gap-2";
    const name = document.createElement("span");
    name.className = "fw-semibold text-truncate upload-name";
    name.textContent = file.name;
    const size = document.createElement("span");
    size.className = "small text-body-secondary text-nowrap";
    size.textContent = humanSize(file.size);
    this.status = document.createElement("span");
    this.status.className = "small ms-auto text-nowrap upload-status";
    this.status.dataset.testid = "upload-status";
    this.cancelButton = document.createElement("button");
    this.cancelButton.type = "button";
    this.cancelButton.className = "btn btn-sm btn-link text-danger p-0 upload-cancel";
    this.cancelButton.textContent = "Cancel";
    this.cancelButton.addEventListener("click", () => this.cancel());
    head.append(name, size, this.status, this.cancelButton);
    const progress = document.createElement("div");
    progress.className = "progress upload-progress";
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-label", `Upload of ${file.name}`);
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", "100");
    this.progress = progress;
    this.bar = document.createElement("div");
    this.bar.className = "progress-bar progress-bar-striped progress-bar-animated";
    progress.append(this.bar);
    this.row.append(head, progress);
    queue.append(this.row);
    this.setProgress(0);
    this.setStatus("Waiting…");
  }

  setProgress(loaded) {
    const percent = this.file.size ? Math.min(100, Math.floor((loaded / this.file.size) * 100)) : 100;
    this.bar.style.width = `${percent}%`;
    this.progress.setAttribute("aria-valuenow", String(percent));
    this.bar.textContent = `${percent}%`;
  }

  setStatus(text, state = "") {
    this.status.textContent = text;
    this.row.dataset.state = state;
    if (state) {
      this.bar.classList.remove("progress-bar-animated", "progress-bar-striped");
      this.cancelButton.hidden = true;
    }
    if (state === "done") this.bar.classList.add("bg-success");
    if (state === "error" || state === "cancelled") this.bar.classList.add("bg-danger");
  }

  cancel() {
    this.cancelled = true;
    for (const xhr of this.requests) xhr.abort();
    this.setStatus("Cancelled", "cancelled");
  }

  checkCancelled() {
    if (this.cancelled) throw new Cancelled("cancelled");
  }
}

class Uploader {
  constructor(root) {
    this.root = root;
    this.config = JSON.parse(document.getElementById("files-config").textContent);
    this.csrf = root.dataset.csrf;
    this.queue = root.querySelector("[data-upload-queue]");
    this.kindSelect = root.querySelector("[data-kind-select]");
    this.running = 0;
    const zone = root.querySelector("[data-drop-zone]");
    const input = root.querySelector("[data-file-input]");
    input.addEventListener("change", () => {
      this.addFiles(input.files);
      input.value = "";
    });
    for (const type of ["dragenter", "dragover"]) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("is-dragging");
      });
    }
    for (const type of ["dragleave", "drop"]) {
      zone.addEventListener(type, () => zone.classList.remove("is-dragging"));
    }
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      this.addFiles(event.dataTransfer.files);
    });
    root.addEventListener("click", (event) => this.onClick(event));
  }

  kindFor(file) {
    const chosen = this.kindSelect.value;
    if (chosen) return chosen;
    return this.config.inferred[extensionOf(file.name)] || "other";
  }

  // The same checks the server makes, so a mistake is shown at once (the server still decides).
  localProblem(file, kind) {
    const ext = extensionOf(file.name);
    const allowed = this.config.allowed[kind] || [];
    if (!allowed.includes(ext)) return `.${ext || "(none)"} files are not accepted as ${kind}.`;
    if (file.size === 0) return "The file is empty.";
    if (file.size > this.config.maxBytes) return `Too large: the limit is ${humanSize(this.config.maxBytes)}.`;
    if (!this.config.remote && file.size > this.config.appMaxBytes) {
      return `Too large to send through the app (limit ${humanSize(this.config.appMaxBytes)}).`;
    }
    return null;
  }

  addFiles(fileList) {
    for (const file of Array.from(fileList)) {
      const kind = this.kindFor(file);
      const item = new UploadItem(file, kind, this.queue);
      const problem = this.localProblem(file, kind);
      if (problem) {
        item.setStatus(problem, "error");
        continue;
      }
      this.running += 1;
      this.upload(item)
        .then(() => {
          item.setProgress(file.size);
          item.setStatus("Uploaded", "done");
        })
        .catch((error) => {
          if (error instanceof Cancelled) item.setStatus("Cancelled", "cancelled");
          else item.setStatus(error.message, "error");
        })
        .finally(() => {
          this.running -= 1;
          this.refreshList();
        });
    }
  }

  async json(method, url, data) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf, Accept: "application/json" },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = new Error(errorMessage({ status: response.status, text }, "The upload was refused"));
      error.status = response.status;
      throw error;
    }
    return text ? JSON.parse(text) : {};
  }

  async upload(item) {
    item.setStatus("Preparing…");
    const plan = await this.json("POST", this.config.planUrl, {
      name: item.file.name,
      size: item.file.size,
      content_type: item.file.type,
      kind: item.kind,
    });
    item.checkCancelled();
    item.setStatus("Uploading…");
    if (plan.method === "POST") return this.postToApp(item, plan);
    if (plan.method === "PUT") await this.putWhole(item, plan);
    else await this.putParts(item, plan);
    item.checkCancelled();
    item.setStatus("Checking…");
    const url = this.config.completeUrl.replace("/0/", `/${plan.file_id}/`);
    // Storage failing while the app checks the upload keeps it pending (503): complete again.
    return this.withRetries(
      item,
      () => this.json("POST", url, plan.parts ? { parts: item.etags } : {}),
      (error) => error.status === 503,
    );
  }

  async postToApp(item, plan) {
    const form = new FormData();
    for (const [name, value] of Object.entries(plan.fields || {})) form.append(name, value);
    form.append(plan.field || "file", item.file);
    const response = await send({
      method: "POST",
      url: plan.url,
      body: form,
      headers: { "X-CSRFToken": this.csrf, Accept: "application/json" },
      onProgress: (loaded) => item.setProgress(Math.min(loaded, item.file.size)),
      item,
    });
    if (response.status !== 201) throw new Error(errorMessage(response, "The upload was refused"));
    return JSON.parse(response.text);
  }

  async withRetries(item, attemptFn, retryable = () => true) {
    for (let attempt = 1; ; attempt += 1) {
      item.checkCancelled();
      try {
        return await attemptFn();
      } catch (error) {
        if (error instanceof Cancelled || attempt >= MAX_ATTEMPTS || !retryable(error)) throw error;
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  async putWhole(item, plan) {
    await this.withRetries(item, async () => {
      const response = await send({
        method: "PUT",
        url: plan.url,
        body: item.file,
        headers: plan.headers,
        onProgress: (loaded) => item.setProgress(loaded),
        item,
      });
      if (response.status < 200 || response.status >= 300) throw new Error(`Storage refused the upload (HTTP ${response.status})`);
    });
  }

  // Parts go up `parallel` at a time; each is retried on its own. ETags come from the response
  // headers (the bucket's CORS rules must expose ETag).
  async putParts(item, plan) {
    const loaded = new Map();
    const report = () => item.setProgress([...loaded.values()].reduce((a, b) => a + b, 0));
    const pending = [...plan.parts];
    item.etags = [];
    const worker = async () => {
      while (pending.length) {
        const part = pending.shift();
        const start = (part.part_number - 1) * plan.part_size;
        const blob = item.file.slice(start, start + part.size);
        const etag = await this.withRetries(item, async () => {
          loaded.set(part.part_number, 0);
          const response = await send({
            method: "PUT",
            url: part.url,
            body: blob,
            onProgress: (bytes) => {
              loaded.set(part.part_number, bytes);
              report();
            },
            item,
          });
          if (response.status < 200 || response.status >= 300) throw new Error(`Storage refused part ${part.part_number} (HTTP ${response.status})`);
          if (!response.etag) throw new Error("Storage did not expose the ETag header (check the bucket's CORS rules).");
          return response.etag;
        });
        loaded.set(part.part_number, part.size);
        report();
        item.etags.push({ part_number: part.part_number, etag });
      }
    };
    const workers = Array.from({ length: Math.min(this.config.parallel || 4, plan.parts.length) }, worker);
    await Promise.all(workers);
    item.etags.sort((a, b) => a.part_number - b.part_number);
  }

  async refreshList() {
    if (this.running > 0) return;
    const response = await fetch(this.config.listUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    this.root.querySelector("[data-file-list]").innerHTML = await response.text();
    const count = this.root.querySelectorAll("[data-file-row]").length;
    this.root.querySelector("[data-file-count]").textContent = `${count} file${count === 1 ? "" : "s"}`;
  }

  async onClick(event) {
    const del = event.target.closest("[data-delete-url]");
    if (del) {
      if (!window.confirm(`Delete ${del.dataset.name}?`)) return;
      del.disabled = true;
      const response = await fetch(del.dataset.deleteUrl, {
        method: "DELETE",
        credentials: "same-origin",
        headers: { "X-CSRFToken": this.csrf },
      });
      if (!response.ok) {
        del.disabled = false;
        window.alert(errorMessage({ status: response.status, text: await response.text() }, "Could not delete"));
      }
      this.refreshList();
      return;
    }
    const view = event.target.closest("[data-view3d]");
    if (view) {
      const { openViewer } = await import("./viewer3d.js");
      openViewer(this.root.querySelector("[data-viewer]"), {
        url: view.dataset.url,
        name: view.dataset.name,
        ext: view.dataset.ext,
        size: Number(view.dataset.size),
      });
    }
  }
}

if (panel) {
  new Uploader(panel);
}
