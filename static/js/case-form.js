// New case / edit: the tooth chart picks the teeth of the active item line, lines can be added
// and removed (Django formset), the due date is suggested from the products' turnaround, and
// lab staff see only the chosen practice's dentists. Without this script the form still works:
// teeth are typed as FDI numbers.

const form = document.querySelector("[data-case-form]");

if (form) {
  document.documentElement.classList.add("js");
  const chart = form.querySelector("[data-tooth-chart]");
  const linesBox = form.querySelector("[data-item-lines]");
  const template = document.getElementById("item-line-template");
  const totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
  const hintName = form.querySelector("[data-active-line-name]");
  const hintTeeth = form.querySelector("[data-active-line-teeth]");
  const teethEls = chart ? Array.from(chart.querySelectorAll("[data-tooth]")) : [];
  const labelOf = new Map(teethEls.map((el) => [el.dataset.tooth, el.dataset.label]));
  const COLOURS = 6;
  const arches = {};
  teethEls.forEach((el) => (arches[el.dataset.arch] = [...(arches[el.dataset.arch] || []), el]));
  const PAIR = { upper: "lower", lower: "upper", "primary-upper": "primary-lower", "primary-lower": "primary-upper" };
  let active = null;

  const parseTeeth = (value) =>
    Array.from(new Set((value || "").split(/[\s,;]+/).filter(Boolean)))
      .filter((t) => labelOf.has(t))
      .sort((a, b) => Number(a) - Number(b));

  const lines = () =>
    Array.from(linesBox.querySelectorAll("[data-item-line]")).filter((line) => !line.classList.contains("is-removed"));

  const teethInput = (line) => line.querySelector("[data-teeth-input]");
  const productSelect = (line) => line.querySelector("[data-product-select]");

  function lineName(line) {
    const select = productSelect(line);
    const number = lines().indexOf(line) + 1;
    const product = select && select.value ? select.options[select.selectedIndex].text.replace(/\s*\(.*\)$/, "") : "";
    return product ? `item ${number} (${product})` : `item ${number}`;
  }

  function render() {
    const all = lines();
    const owner = new Map(); // tooth -> colour index of the first line that has it
    all.forEach((line, index) => {
      const colour = index % COLOURS;
      line.dataset.colour = String(colour);
      line.querySelector("[data-line-title]").textContent = `Item ${index + 1}`;
      line.classList.toggle("is-active", line === active);
      const pick = line.querySelector("[data-pick-teeth]");
      if (pick) {
        pick.setAttribute("aria-pressed", String(line === active));
        pick.textContent = line === active ? "Picking teeth" : "Pick teeth";
      }
      const teeth = parseTeeth(teethInput(line).value);
      const summary = line.querySelector("[data-teeth-summary]");
      summary.textContent = teeth.length ? teeth.map((t) => labelOf.get(t)).join(", ") : "None picked yet";
      summary.classList.toggle("is-empty", teeth.length === 0);
      teeth.forEach((t) => {
        if (!owner.has(t)) owner.set(t, colour);
      });
    });
    const activeTeeth = active ? new Set(parseTeeth(teethInput(active).value)) : new Set();
    const activeColour = active ? Number(active.dataset.colour) : 0;
    teethEls.forEach((el) => {
      const t = el.dataset.tooth;
      const mine = activeTeeth.has(t);
      el.classList.toggle("is-selected", mine);
      el.setAttribute("aria-pressed", String(mine));
      for (let c = 0; c < COLOURS; c += 1) el.classList.remove(`c${c}`);
      el.classList.toggle("is-other", !mine && owner.has(t));
      if (mine) el.classList.add(`c${activeColour}`);
      else if (owner.has(t)) el.classList.add(`c${owner.get(t)}`);
    });
    if (hintName) hintName.textContent = active ? lineName(active) : "an item";
    if (hintTeeth) {
      const picked = Array.from(activeTeeth).sort((a, b) => Number(a) - Number(b));
      hintTeeth.textContent = picked.length ? picked.map((t) => labelOf.get(t)).join(", ") : "none yet";
    }
    const only = all.length <= 1;
    all.forEach((line) => {
      const remove = line.querySelector("[data-remove-line]");
      if (remove) remove.hidden = only;
    });
  }

  function activate(line) {
    active = line;
    render();
  }

  function toggleTooth(el) {
    if (!active) activate(lines()[0]);
    if (!active) return;
    const input = teethInput(active);
    const teeth = new Set(parseTeeth(input.value));
    const t = el.dataset.tooth;
    if (teeth.has(t)) teeth.delete(t);
    else teeth.add(t);
    input.value = Array.from(teeth)
      .sort((a, b) => Number(a) - Number(b))
      .join(", ");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    render();
  }

  function wireLine(line) {
    const input = teethInput(line);
    input.classList.add("visually-hidden");
    input.setAttribute("tabindex", "-1");
    const del = line.querySelector("input[name$='-DELETE']");
    if (del) del.closest(".remove-line").classList.add("d-none");
    line.addEventListener("focusin", (event) => {
      if (event.target.closest("[data-remove-line]")) return;
      if (active !== line) activate(line);
    });
    line.querySelector("[data-pick-teeth]").addEventListener("click", () => {
      activate(line);
      (chart.querySelector('.tooth[tabindex="0"]') || teethEls[0]).focus();
    });
    const remove = line.querySelector("[data-remove-line]");
    if (remove) {
      remove.addEventListener("click", () => {
        if (del) del.checked = true;
        line.classList.add("is-removed");
        line.hidden = true;
        if (active === line) active = lines()[0] || null;
        render();
        suggestDueDate();
      });
    }
    productSelect(line).addEventListener("change", () => {
      render();
      suggestDueDate();
    });
  }

  function addLine() {
    const index = Number(totalForms.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const line = holder.firstElementChild;
    linesBox.appendChild(line);
    totalForms.value = String(index + 1);
    wireLine(line);
    activate(line);
    productSelect(line).focus();
  }

  // Keyboard: one tab stop for the whole chart (roving tabindex); Space/Enter toggles; arrows
  // move along the arch and between arches; Home/End jump to the ends of the arch.
  function setCurrent(el) {
    teethEls.forEach((tooth) => tooth.setAttribute("tabindex", tooth === el ? "0" : "-1"));
  }
  if (teethEls.length) setCurrent(teethEls[0]);

  if (chart) {
    chart.addEventListener("focusin", (event) => {
      const el = event.target.closest("[data-tooth]");
      if (el) setCurrent(el);
    });
    chart.addEventListener("click", (event) => {
      const el = event.target.closest("[data-tooth]");
      if (el) toggleTooth(el);
    });
    chart.addEventListener("keydown", (event) => {
      const el = event.target.closest("[data-tooth]");
      if (!el) return;
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggleTooth(el);
        return;
      }
      const arch = arches[el.dataset.arch];
      const index = arch.indexOf(el);
      const other = arches[PAIR[el.dataset.arch]];
      const moves = {
        ArrowRight: arch[index + 1],
        ArrowLeft: arch[index - 1],
        ArrowDown: el.dataset.arch.endsWith("upper") ? other[index] : null,
        ArrowUp: el.dataset.arch.endsWith("lower") ? other[index] : null,
        Home: arch[0],
        End: arch[arch.length - 1],
      };
      const next = moves[event.key];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });
  }

  // Primary (deciduous) teeth: a second, inner pair of arches, shown on demand.
  const primaryToggle = form.querySelector("[data-toggle-primary]");
  function showPrimary(show) {
    if (!chart || !primaryToggle) return;
    chart.classList.toggle("show-primary", show);
    primaryToggle.setAttribute("aria-pressed", String(show));
    primaryToggle.textContent = show ? "Hide primary teeth" : "Show primary teeth";
    const current = chart.querySelector('.tooth[tabindex="0"]');
    if (!show && current && current.dataset.arch.startsWith("primary")) setCurrent(teethEls[0]);
  }
  if (primaryToggle) {
    primaryToggle.addEventListener("click", () => showPrimary(!chart.classList.contains("show-primary")));
  }

  // Due date: suggested from the products' turnaround, filled in while the user has not typed one.
  const dueInput = form.querySelector("[data-due-date]");
  const dueBox = form.querySelector("[data-due-suggestion]");
  let autoFilled = false;
  if (dueInput) dueInput.addEventListener("input", () => (autoFilled = false));

  async function suggestDueDate() {
    if (!dueInput || !dueBox) return;
    const ids = lines()
      .map((line) => productSelect(line).value)
      .filter(Boolean);
    if (!ids.length) {
      dueBox.textContent = "";
      return;
    }
    const params = new URLSearchParams(ids.map((id) => ["product", id]));
    const practiceChoice = form.querySelector("[data-practice-select]");
    if (practiceChoice && practiceChoice.value) params.append("practice", practiceChoice.value);
    try {
      const response = await fetch(`${form.dataset.dueDateUrl}?${params}`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      if (!data.due_date) return;
      dueBox.replaceChildren();
      const text = document.createElement("span");
      const transit = data.transit_days ? ` + ${data.transit_days} in transit` : "";
      text.textContent = `Suggested: ${data.display} (${data.working_days} working days from receipt${transit}); ships by ${data.ship_by_display}. `;
      text.dataset.shipBy = data.ship_by;
      dueBox.appendChild(text);
      if (!dueInput.value || autoFilled) {
        dueInput.value = data.due_date;
        autoFilled = true;
      } else if (dueInput.value !== data.due_date) {
        const use = document.createElement("button");
        use.type = "button";
        use.className = "btn btn-link btn-sm p-0 align-baseline";
        use.textContent = "Use it";
        use.addEventListener("click", () => {
          dueInput.value = data.due_date;
          autoFilled = true;
          use.remove();
        });
        dueBox.appendChild(use);
      }
    } catch {
      // The suggestion is a convenience; the lab sets the date on receipt anyway.
    }
  }

  // Lab staff: the dentist list follows the practice.
  const practiceSelect = form.querySelector("[data-practice-select]");
  const dentistSelect = form.querySelector("[data-dentist-select]");
  function filterDentists() {
    if (!practiceSelect || !dentistSelect) return;
    const practice = practiceSelect.value;
    Array.from(dentistSelect.options).forEach((option) => {
      if (!option.value) return;
      const match = !practice || option.dataset.practice === practice;
      option.hidden = !match;
      option.disabled = !match;
    });
    const chosen = dentistSelect.selectedOptions[0];
    if (chosen && chosen.disabled) dentistSelect.value = "";
    const choices = Array.from(dentistSelect.options).filter((o) => o.value && !o.disabled);
    if (practice && choices.length === 1 && !dentistSelect.value) dentistSelect.value = choices[0].value;
  }
  if (practiceSelect) {
    practiceSelect.addEventListener("change", filterDentists);
    practiceSelect.addEventListener("change", suggestDueDate); // transit days differ per practice
  }
  filterDentists();

  form.querySelector("[data-add-line]").addEventListener("click", addLine);
  lines().forEach(wireLine);
  const firstWithError = lines().find((line) => line.classList.contains("has-errors"));
  activate(firstWithError || lines()[0] || null);
  const hasPrimary = lines().some((line) => parseTeeth(teethInput(line).value).some((t) => Number(t) > 50));
  showPrimary(hasPrimary);
  if (dueInput && dueInput.value === "") suggestDueDate();
}
