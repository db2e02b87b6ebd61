// A small rich-text editor for the letter body: paragraphs, bold, italic, links, headings, lists.
// It edits a copy of the textarea's HTML; the server sanitizes again with nh3 on save.
(function () {
  "use strict";

  const ALLOWED = new Set(["P", "BR", "STRONG", "B", "EM", "I", "U", "A", "H2", "H3", "H4", "OL", "UL", "LI", "BLOCKQUOTE"]);

  // Parse in an inert document (no scripts run, nothing loads) and keep only allow-listed markup.
  function clean(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    (function walk(node) {
      Array.from(node.children).forEach((child) => {
        walk(child);
        if (!ALLOWED.has(child.tagName)) {
          child.replaceWith(...child.childNodes);
          return;
        }
        Array.from(child.attributes).forEach((attr) => {
          const keep = child.tagName === "A" && attr.name === "href" && /^(https?:|mailto:)/i.test(attr.value);
          if (!keep) child.removeAttribute(attr.name);
        });
      });
    })(doc.body);
    return doc.body.innerHTML;
  }

  const BUTTONS = [
    ["bold", "B", "Bold"],
    ["italic", "I", "Italic"],
    ["h2", "H2", "Heading"],
    ["h3", "H3", "Subheading"],
    ["p", "¶", "Paragraph"],
    ["insertOrderedList", "1.", "Numbered list"],
    ["insertUnorderedList", "•", "Bulleted list"],
    ["link", "Link", "Link"],
    ["unlink", "Unlink", "Remove link"],
    ["count", "{{ signer_count }}", "Insert the live signer count"],
  ];

  function run(command, editor) {
    editor.focus();
    if (["h2", "h3", "p"].includes(command)) {
      document.execCommand("formatBlock", false, command);
    } else if (command === "link") {
      const url = window.prompt("Link address (https://…)");
      if (url && /^(https?:|mailto:)/i.test(url.trim())) document.execCommand("createLink", false, url.trim());
    } else if (command === "count") {
      document.execCommand("insertText", false, "{{ signer_count }}");
    } else {
      document.execCommand(command, false, null);
    }
  }

  function enhance(textarea) {
    const toolbar = document.createElement("div");
    toolbar.className = "btn-toolbar gap-1 mb-1 richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    const editor = document.createElement("div");
    editor.className = "form-control richtext-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-label", "Body");
    editor.innerHTML = clean(textarea.value) || "<p><br></p>";
    document.execCommand("defaultParagraphSeparator", false, "p");
    BUTTONS.forEach(([command, label, title]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = label;
      button.title = title;
      button.dataset.command = command;
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => run(command, editor));
      toolbar.appendChild(button);
    });
    const sync = () => {
      textarea.value = clean(editor.innerHTML);
    };
    editor.addEventListener("input", sync);
    textarea.form.addEventListener("submit", sync);
    textarea.hidden = true;
    textarea.after(toolbar, editor);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea.js-richtext").forEach(enhance);
  });
})();
