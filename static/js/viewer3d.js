// Interactive 3D preview of STL, PLY and OBJ files (vendored three.js, no CDN): rotate, zoom,
// pan, reset; shows the model's size and triangle count. The model is fetched through the
// download endpoint (same origin on local disk; a presigned URL on R2, which needs CORS GET).

import * as THREE from "../vendor/three/three.module.js";
import { OrbitControls } from "../vendor/three/addons/controls/OrbitControls.js";
import { OBJLoader } from "../vendor/three/addons/loaders/OBJLoader.js";
import { PLYLoader } from "../vendor/three/addons/loaders/PLYLoader.js";
import { STLLoader } from "../vendor/three/addons/loaders/STLLoader.js";
import { humanSize } from "./format.js";

let current = null;

function parse(ext, buffer) {
  const material = new THREE.MeshStandardMaterial({
    color: 0xe9dfcf,
    roughness: 0.55,
    metalness: 0.05,
    side: THREE.DoubleSide,
  });
  if (ext === "stl" || ext === "ply") {
    const geometry = ext === "stl" ? new STLLoader().parse(buffer) : new PLYLoader().parse(buffer);
    // Many exporters write zero normals into STL files: compute them from the faces instead.
    if (ext === "stl" || !geometry.getAttribute("normal")) geometry.computeVertexNormals();
    if (geometry.getAttribute("color")) material.vertexColors = true;
    return new THREE.Mesh(geometry, material);
  }
  const group = new OBJLoader().parse(new TextDecoder().decode(buffer));
  group.traverse((child) => {
    if (child.isMesh) {
      if (!child.geometry.getAttribute("normal")) child.geometry.computeVertexNormals();
      child.material = material;
    }
  });
  return group;
}

function triangleCount(object) {
  let triangles = 0;
  object.traverse((child) => {
    if (child.isMesh) {
      const geometry = child.geometry;
      triangles += geometry.index ? geometry.index.count / 3 : geometry.getAttribute("position").count / 3;
    }
  });
  return Math.round(triangles);
}

function close() {
  if (!current) return;
  current.stop();
  current = null;
}

export async function openViewer(root, { url, name, ext, size }) {
  close();
  const title = root.querySelector("[data-viewer-title]");
  const stats = root.querySelector("[data-viewer-stats]");
  const stage = root.querySelector("[data-viewer-stage]");
  // A fresh canvas each time: a disposed renderer's WebGL context cannot be reused.
  const canvas = document.createElement("canvas");
  canvas.dataset.viewerCanvas = "";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `3D preview of ${name}. Arrow keys pan; Shift and the arrow keys rotate.`);
  canvas.tabIndex = 0;
  stage.replaceChildren(canvas);
  title.textContent = name;
  stats.textContent = `Loading ${humanSize(size)}…`;
  root.classList.remove("d-none");
  root.dataset.state = "loading";
  root.scrollIntoView({ behavior: "smooth", block: "nearest" });

  let object;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    object = parse(ext, await response.arrayBuffer());
  } catch (error) {
    stats.textContent = `Could not load the model (${error.message}).`;
    root.dataset.state = "error";
    return;
  }

  // Centre the model on the origin and frame it.
  const box = new THREE.Box3().setFromObject(object);
  const center = box.getCenter(new THREE.Vector3());
  const dimensions = box.getSize(new THREE.Vector3());
  object.position.sub(center);
  const radius = Math.max(dimensions.length() / 2, 1e-3);

  let renderer;
  try {
    renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  } catch {
    stats.textContent = "This browser cannot show 3D previews (WebGL is off); download the file instead.";
    root.dataset.state = "error";
    return;
  }
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf1f4f7);
  scene.add(object);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x8a8f99, 1.6));
  const camera = new THREE.PerspectiveCamera(35, 1, radius / 100, radius * 100);
  const headlight = new THREE.DirectionalLight(0xffffff, 2.2);
  headlight.position.set(0.5, 1, 1);
  camera.add(headlight);
  scene.add(camera);
  // Dental scans are exported with Z up (occlusal); look from the front, a little above.
  camera.up.set(0, 0, 1);
  const distance = (radius / Math.sin(THREE.MathUtils.degToRad(camera.fov / 2))) * 0.8;
  camera.position.set(distance * 0.3, -distance * 0.8, distance * 0.5);
  camera.lookAt(0, 0, 0);

  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = true;
  controls.target.set(0, 0, 0);
  controls.minDistance = radius * 0.2;
  controls.maxDistance = radius * 20;
  controls.listenToKeyEvents(canvas); // keyboard: arrows pan, Shift+arrows rotate (focus the model first)
  controls.update();
  controls.saveState();

  const resize = () => {
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    renderer.setSize(width, height, false);
    camera.aspect = width / Math.max(height, 1);
    camera.updateProjectionMatrix();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(stage);
  resize();

  let frame = 0;
  const animate = () => {
    frame = requestAnimationFrame(animate);
    controls.update();
    renderer.render(scene, camera);
  };
  animate();

  const reset = root.querySelector("[data-viewer-reset]");
  const closeButton = root.querySelector("[data-viewer-close]");
  const onReset = () => controls.reset();
  const onClose = () => {
    close();
    root.classList.add("d-none");
  };
  reset.addEventListener("click", onReset);
  closeButton.addEventListener("click", onClose);

  const triangles = triangleCount(object);
  const mm = (value) => value.toFixed(1);
  stats.textContent =
    `${mm(dimensions.x)} × ${mm(dimensions.y)} × ${mm(dimensions.z)} mm · ` +
    `${triangles.toLocaleString("en")} triangle${triangles === 1 ? "" : "s"} · ${humanSize(size)}`;
  root.dataset.state = "ready";
  root.dataset.triangles = String(triangles);

  current = {
    stop() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      reset.removeEventListener("click", onReset);
      closeButton.removeEventListener("click", onClose);
      controls.dispose();
      object.traverse((child) => child.geometry && child.geometry.dispose());
      renderer.dispose();
    },
  };
}
