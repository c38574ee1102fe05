// Progressive enhancements only: every page works without this file.
"use strict";

// 确认：destructive or irreversible buttons carry data-confirm with the question to ask.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// 所在市 → 所在县: narrow the county list to the chosen city.
document.addEventListener("DOMContentLoaded", () => {
  const city = document.querySelector("select[data-city-select]");
  const county = document.querySelector("select[data-county-select]");
  if (!city || !county) return;
  const options = Array.from(county.querySelectorAll("option[data-city]"));
  const refresh = () => {
    for (const option of options) {
      const visible = option.dataset.city === city.value;
      option.hidden = !visible;
      option.disabled = !visible;
    }
    const selected = county.selectedOptions[0];
    if (selected && selected.dataset.city && selected.dataset.city !== city.value) {
      county.value = "";
    }
  };
  city.addEventListener("change", refresh);
  refresh();
});
