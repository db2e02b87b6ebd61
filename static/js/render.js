// Follow a PDF render on the letter's PDF page: poll its status every 1.5 s until it is done or
// failed, then offer the download (or show why it failed). Without JavaScript a Refresh link shows.
(function () {
  "use strict";

  const box = document.querySelector(".js-render-status[data-status-url]");
  if (!box) return;
  const label = box.querySelector(".js-render-label");
  const detail = box.querySelector(".js-render-detail");

  function link(href, text) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(data) {
    label.textContent = data.status_label;
    if (!data.finished) return;
    box.classList.remove("alert-info");
    detail.replaceChildren();
    if (data.status === "done") {
      box.classList.add("alert-success");
      detail.append(link(data.download_url, box.dataset.downloadText || "Download PDF"), " · ",
        link(data.eml_url, box.dataset.emlText || "Email draft (.eml)"));
    } else {
      box.classList.add("alert-danger");
      detail.textContent = data.error;
    }
  }

  let delay = 1500;
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then((data) => {
        delay = 1500;
        show(data);
        if (!data.finished) setTimeout(poll, delay);
      })
      .catch(() => {
        delay = Math.min(delay * 2, 15000); // the server is busy or briefly gone: back off
        setTimeout(poll, delay);
      });
  }
  setTimeout(poll, delay);
})();
