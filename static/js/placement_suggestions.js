// Suggested placements while a new need's description is typed: asks the API
// (POST /api/v1/needs/suggest/) a moment after typing stops and shows each suggestion as a
// button that fills in the article, category and subcategory. Texts come from the
// section's data- attributes, translated by the page.
document.addEventListener("DOMContentLoaded", () => {
  const section = document.getElementById("placement-suggestions");
  const description = document.getElementById("id_description");
  if (!section || !description || !window.fetch) return;
  const form = description.form;
  const list = section.querySelector("[data-role=list]");
  const status = section.querySelector("[data-role=status]");
  const texts = section.dataset;
  const MIN_LENGTH = 12;
  const DELAY_MS = 500;
  let timer = null;
  let controller = null;
  let lastAsked = "";
  const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent",
  });

  function say(text) {
    status.textContent = text;
  }

  function csrfToken() {
    const field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function choose(select, attribute, value) {
    if (!select) return false;
    if (value === null || value === undefined || value === "") {
      select.value = "";
      return true;
    }
    for (const option of select.options) {
      if (option.dataset[attribute] === String(value)) {
        select.value = option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        return true;
      }
    }
    return false;
  }

  function apply(suggestion) {
    const place = suggestion.article === null
      ? "chapter:" + suggestion.chapter
      : "article:" + suggestion.article;
    const placement = form.querySelector("select[name=placement]");
    if (!choose(placement, "placement", place) && placement) placement.value = "";
    choose(form.querySelector("select[name=category]"), "code", suggestion.category);
    choose(form.querySelector("select[name=subcategory]"), "code", suggestion.subcategory);
    say(texts.textApplied.replace("{placement}", describe(suggestion)));
  }

  function describe(suggestion) {
    const parts = [suggestion.category_label];
    if (suggestion.subcategory_label) parts.push(suggestion.subcategory_label);
    parts.push(suggestion.article_label);
    return parts.join(" · ");
  }

  function show(suggestions) {
    list.replaceChildren();
    for (const suggestion of suggestions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary text-start";
      button.dataset.testid = "placement-suggestion";
      const what = document.createElement("span");
      what.textContent = describe(suggestion);
      const share = document.createElement("span");
      share.className = "d-block small text-muted";
      share.textContent = texts.textSimilar.replace("{share}", percent.format(suggestion.score));
      button.append(what, share);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const other of list.querySelectorAll("button")) {
          other.classList.remove("active");
          other.setAttribute("aria-pressed", "false");
        }
        button.classList.add("active");
        button.setAttribute("aria-pressed", "true");
        apply(suggestion);
      });
      list.append(button);
    }
    say(suggestions.length ? texts.textFound : texts.textNone);
  }

  async function ask() {
    const text = description.value.trim();
    if (text === lastAsked) return;
    lastAsked = text;
    if (controller) controller.abort();
    if (text.length < MIN_LENGTH) {
      list.replaceChildren();
      section.hidden = true;
      return;
    }
    section.hidden = false;
    controller = new AbortController();
    say(texts.textWaiting);
    const body = { description: text.slice(0, 5000) };
    if (texts.cycle) body.cycle = Number(texts.cycle);
    try {
      const response = await fetch(texts.suggestUrl, {
        method: "POST",
        credentials: "same-origin",
        signal: controller.signal,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(String(response.status));
      show((await response.json()).suggestions);
    } catch (error) {
      if (error.name === "AbortError") return;
      list.replaceChildren();
      lastAsked = "";
      say(texts.textError);
    }
  }

  description.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
});
