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

// 一级指标 → 二级指标: a select marked data-depends-on offers only the options of the group chosen in the other one.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-depends-on]")) {
    const controller = document.getElementsByName(select.dataset.dependsOn)[0];
    if (!controller) continue;
    const options = Array.from(select.querySelectorAll("option[data-group]"));
    const refresh = () => {
      for (const option of options) {
        const visible = !controller.value || option.dataset.group === controller.value;
        option.hidden = !visible;
        option.disabled = !visible;
      }
      const selected = select.selectedOptions[0];
      if (selected && selected.disabled) select.value = "";
    };
    controller.addEventListener("change", refresh);
    refresh();
  }
});

// 草稿自动保存: a form marked data-autosave is saved in the background a moment after the user stops typing.
// The server answers with the self-check summary; field messages appear when the form is saved with the button.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = form.querySelector("[data-autosave-status]");
  const verdictLabel = document.querySelector("[data-verdict-label]");
  const verdictSummary = document.querySelector("[data-verdict-summary]");
  const revision = form.querySelector("[data-revision]");
  let timer = null;
  let stopped = false;
  let running = false;
  let pending = false;
  const show = (text) => { if (status) status.textContent = text; };
  const save = async () => {
    if (stopped) return;
    if (running) { pending = true; return; }
    running = true;
    show("正在保存……");
    try {
      const body = new URLSearchParams(new FormData(form));
      const response = await fetch(form.action + "?autosave=1", {
        method: "POST",
        body,
        headers: { "Accept": "application/json", "X-CSRF-Token": body.get("_csrf") || "" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (response.status === 409 && result.conflict) {
        // Someone else saved meanwhile: nothing of this tab was stored, and what it shows stays as typed.
        stopped = true;
        show(result.reason);
        if (status) {
          const reload = document.createElement("a");
          reload.href = window.location.pathname;
          reload.textContent = " 重新载入最新内容";
          status.appendChild(reload);
          status.setAttribute("role", "alert");
        }
        return;
      }
      if (!response.ok) throw new Error(result.reason || "保存失败");
      // After a merge this page still lacks the other side's changes, so its base stays the revision it was loaded at.
      if (revision && typeof result.revision === "number" && !result.merged) revision.value = String(result.revision);
      const time = new Date().toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" });
      const merged = result.merged ? "（已与他人同时保存的其他修改合并，重新载入页面可看到）" : "";
      show(result.problems.length > 0
        ? `已自动保存 ${time}${merged}；有 ${result.problems.length} 项填写有误，点“保存草稿”查看`
        : `已自动保存 ${time}${merged}`);
      if (verdictLabel) verdictLabel.textContent = result.verdictLabel;
      if (verdictSummary) verdictSummary.textContent = result.summary;
    } catch (error) {
      show(`自动保存未成功（${error.message}），请点“保存草稿”`);
    } finally {
      running = false;
      if (pending) { pending = false; save(); }
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
});

// 增加一行: input tables get a button that copies the last row with the next index and empty values.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table[data-add-row]")) {
    const body = table.tBodies[0];
    if (!body || body.rows.length === 0) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "增加一行";
    button.addEventListener("click", () => {
      const last = body.rows[body.rows.length - 1];
      const next = body.rows.length;
      const row = last.cloneNode(true);
      row.cells[0].textContent = String(next + 1);
      for (const control of row.querySelectorAll("input, select, textarea")) {
        for (const attribute of ["name", "id"]) {
          const value = control.getAttribute(attribute);
          if (value) control.setAttribute(attribute, value.replace(/\[\d+\]/, `[${next}]`));
        }
        const label = control.getAttribute("aria-label");
        if (label) control.setAttribute("aria-label", label.replace(/第 \d+ 行/, `第 ${next + 1} 行`));
        if (control.type === "radio" || control.type === "checkbox") control.checked = false;
        else control.value = "";
      }
      for (const error of row.querySelectorAll(".error")) error.remove();
      body.appendChild(row);
      const first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
    table.closest(".table-scroll").after(button);
  }
});
