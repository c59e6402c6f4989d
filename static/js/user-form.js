// User invite/edit form: the practice field only matters for dentists, so hide it for lab staff.
(function () {
  "use strict";
  var role = document.getElementById("id_role");
  var wrapper = document.querySelector("[data-practice-field]");
  if (!role || !wrapper) return;
  function sync() {
    wrapper.classList.toggle("d-none", role.value !== "dentist");
  }
  role.addEventListener("change", sync);
  sync();
})();
