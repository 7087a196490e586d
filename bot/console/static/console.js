// Small progressive enhancements; every page works without them.
"use strict";
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
// Forms submit once: a double click must not reply or dispatch twice.
document.querySelectorAll("form[method=post]").forEach((form) => {
  form.addEventListener("submit", () => {
    setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; }), 0);
  });
});
// One box ticks every row of a list (a cluster handled together).
document.querySelectorAll("[data-select-all]").forEach((box) => {
  box.addEventListener("change", () => {
    box.closest("form").querySelectorAll("input[name=no]").forEach((row) => { row.checked = box.checked; });
  });
});
// The model page follows a running training job until it finishes.
const jobs = document.getElementById("jobs");
if (jobs && jobs.dataset.poll) {
  const timer = setInterval(async () => {
    const response = await fetch("/console/models/jobs.json", { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    for (const job of data.jobs) {
      const item = jobs.querySelector(`[data-job="${job.id}"]`);
      if (!item) continue;
      item.querySelector(".state").textContent = job.state_label;
      item.querySelector(".stage").textContent = job.stage_label;
      item.querySelector("progress").value = job.progress;
    }
    if (!data.jobs.some((job) => job.state === "queued" || job.state === "running")) {
      clearInterval(timer);
      window.location.reload();
    }
  }, 2000);
}
// An answer must fit one WeChat message: count its UTF-8 bytes (and its attachment
// lines') as the server does, so the limit is seen while typing, not after submitting.
document.querySelectorAll("textarea[data-max-bytes]").forEach((box) => {
  const counter = box.form.querySelector("[data-byte-counter]");
  const links = box.form.querySelector("textarea[name=attachments]");
  const encoder = new TextEncoder();
  const max = Number(box.dataset.maxBytes);
  const perLink = Number(box.dataset.linkBytes || 0);
  const update = () => {
    let used = encoder.encode(box.value.trim()).length;
    if (links) {
      for (const line of links.value.split("\n")) {
        if (line.trim()) used += encoder.encode(line.trim()).length + perLink;
      }
    }
    const left = max - used;
    counter.textContent = left >= 0
      ? `还可写约 ${Math.floor(left / 3)} 个汉字（剩 ${left} 字节）`
      : `超出 ${-left} 字节，请删减约 ${Math.ceil(-left / 3)} 个汉字`;
    counter.classList.toggle("over", left < 0);
  };
  box.addEventListener("input", update);
  if (links) links.addEventListener("input", update);
  update();
});
