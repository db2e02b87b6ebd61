// Add, remove and reorder rows of the Django formsets on the letter page.
// Without JavaScript the forms still work: the Order numbers and Delete boxes are plain fields.
(function () {
  "use strict";

  function visibleRows(fieldset) {
    return Array.from(fieldset.querySelectorAll(".formset-rows > .formset-row")).filter(
      (row) => !row.hidden
    );
  }

  function renumber(fieldset) {
    visibleRows(fieldset).forEach((row, index) => {
      const order = row.querySelector("input.js-order");
      if (order) order.value = index + 1;
    });
  }

  function hideIfDeleted(row) {
    const del = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (del && del.checked) row.hidden = true;
  }

  function addRow(fieldset) {
    const prefix = fieldset.dataset.prefix;
    const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const index = parseInt(total.value, 10);
    const html = fieldset.querySelector("template.formset-empty").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    fieldset.querySelector(".formset-rows").appendChild(row);
    total.value = index + 1;
    const first = row.querySelector(".card-body input, .card-body textarea");
    if (first) first.focus();
  }

  function onClick(event) {
    const button = event.target.closest("button");
    if (!button) return;
    const fieldset = button.closest("fieldset.formset");
    const row = button.closest(".formset-row");
    if (!fieldset) return;
    if (button.classList.contains("js-add-row")) {
      addRow(fieldset);
    } else if (button.classList.contains("js-remove-row")) {
      row.querySelector('input[name$="-DELETE"]').checked = true;
      row.hidden = true;
      renumber(fieldset);
    } else if (button.classList.contains("js-move-up")) {
      const rows = visibleRows(fieldset);
      const before = rows[rows.indexOf(row) - 1];
      if (before) before.before(row);
      renumber(fieldset);
    } else if (button.classList.contains("js-move-down")) {
      const rows = visibleRows(fieldset);
      const after = rows[rows.indexOf(row) + 1];
      if (after) after.after(row);
      renumber(fieldset);
    }
  }

  function buildSalutation() {
    const names = Array.from(
      document.querySelectorAll('fieldset[data-prefix="recipients"] .formset-rows > .formset-row')
    )
      .filter((row) => !row.hidden)
      .map((row) => row.querySelector('input[name$="-salutation_name"]').value.trim())
      .filter(Boolean);
    let joined = names.join(" and ");
    if (names.length > 2) joined = names.slice(0, -1).join(", ") + ", and " + names[names.length - 1];
    document.querySelector('input[name="salutation"]').value = names.length ? `Dear ${joined}:` : "";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("fieldset.formset .formset-row").forEach(hideIfDeleted);
    document.querySelectorAll("fieldset.formset").forEach((fieldset) => {
      fieldset.addEventListener("click", onClick);
    });
    const build = document.querySelector(".js-build-salutation");
    if (build) build.addEventListener("click", buildSalutation);
  });
})();
