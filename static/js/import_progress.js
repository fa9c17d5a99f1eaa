// Follow a running import: update the progress bar, reload the page when the step is over.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-status-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const percent = box.querySelector("[data-role=percent]");
  const stage = box.querySelector("[data-role=stage]");

  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        if (!status.running) {
          window.location.reload();
          return;
        }
        bar.value = status.percent;
        bar.textContent = `${status.percent}%`;
        percent.textContent = status.percent;
        // The server names the stage in the page's language.
        if (status.stage_label) stage.textContent = status.stage_label;
      }
    } catch (error) {
      // A lost request is retried at the next tick.
    }
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 500);
});
