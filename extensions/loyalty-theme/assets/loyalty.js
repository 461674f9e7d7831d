/*
 * Retention Engine rewards widget. Hand-written and shipped as is (no framework, no build step), so that
 * everything the storefront loads from us stays within 10 KB gzip: see docs/decisions/040-storefront-budget.md.
 * Loaded with `defer`; it fetches the program only when the panel is first opened, or at once on a page where
 * the merchant placed one of our blocks that shows program data.
 */
(() => {
  const config = document.querySelector("[data-rl-config]");
  // Every block renders the config and the script tag; the first copy of the script does the work.
  if (window.RetentionRewards || !config) return;
  window.RetentionRewards = true;

  const cfg = JSON.parse(config.textContent);
  const texts = cfg.texts;
  const plural = new Intl.PluralRules(cfg.locale);
  const number = new Intl.NumberFormat(cfg.locale);
  const date = new Intl.DateTimeFormat(cfg.locale, { dateStyle: "medium" });
  const root = document.getElementById("rl-root");
  let data; // the program response, once loaded
  let loading;
  let notice; // the outcome of the last redemption, shown above the rewards
  let gift; // the outcome of claiming a friend's referral discount
  let ref; // the friend's referral code, kept until used

  const t = (key, vars) => (texts[key] || "").replace(/\{(\w+)\}/g, (all, name) => (vars && name in vars ? vars[name] : all));
  const points = (n) => t(`points.${plural.select(n)}`, { count: number.format(n) }) || t("points.other", { count: number.format(n) });
  const money = (minor, currency) => {
    const format = new Intl.NumberFormat(cfg.locale, { style: "currency", currency });
    return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
  };

  // Builds DOM with text nodes only, so nothing from the API or the merchant is ever parsed as HTML.
  const h = (tag, props, ...children) => {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    el.append(...children.flat(2).filter((child) => child != null && child !== false));
    return el;
  };
  const section = (title, ...children) => h("section", { class: "rl-sec" }, h("h3", { class: "rl-h" }, title), ...children);
  const item = (main, aside) => h("li", { class: "rl-item" }, main, aside);
  const copyButton = (text) =>
    h(
      "button",
      {
        type: "button",
        class: "rl-btn rl-btn--ghost",
        onclick: (event) => {
          const button = event.currentTarget;
          navigator.clipboard.writeText(text).then(() => (button.textContent = t("copied")), () => {});
        },
      },
      t("copy"),
    );

  const load = () =>
    loading ||
    // A guest's answer may be cached under this URL; once logged in, never reuse it.
    (loading = fetch(`${cfg.proxy}/program?locale=${encodeURIComponent(cfg.locale)}`, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: cfg.member ? "no-store" : "default" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(
        (response) => {
          Object.assign(texts, response.texts); // the merchant's own texts win over the theme's
          data = response;
        },
        (error) => {
          loading = null; // let "Try again" ask again
          throw error;
        },
      ));

  const tierRank = (program, id) => program.tiers.findIndex((tier) => tier.id === id);

  const balanceView = (customer) =>
    h(
      "div",
      { class: "rl-balance" },
      h("span", { class: "rl-muted" }, t("balance")),
      h("strong", { class: "rl-points" }, points(customer.balance)),
      customer.pending > 0 && h("span", { class: "rl-muted" }, t("pending", { points: points(customer.pending) })),
    );

  const tierView = (program, customer) => {
    const next = customer.nextTier;
    if (!customer.tier && !next) return null;
    let progress = [h("p", { class: "rl-muted" }, t("top_tier"))];
    if (next) {
      // `remaining` is in the unit of the next tier's threshold: money spent or points earned.
      const rule = program.tiers.find((tier) => tier.name === next.name);
      const remaining = rule && rule.thresholdKind === "spend" ? money(next.remaining, program.currencyCode) : points(next.remaining);
      const label = t("next_tier", { remaining, tier: next.name });
      const percent = Math.round(Math.min(1, Math.max(0, next.progress)) * 100);
      progress = [
        h(
          "div",
          { class: "rl-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": percent, "aria-label": label },
          h("span", { style: `width:${percent}%` }),
        ),
        h("p", { class: "rl-muted" }, label),
      ];
    }
    return h("div", { class: "rl-tier" }, customer.tier && h("p", null, t("tier", { tier: customer.tier.name })), progress);
  };

  const waysView = (program) =>
    h(
      "ul",
      { class: "rl-list" },
      program.waysToEarn.map((way) =>
        item(
          h("span", null, h("b", null, way.title), way.description && h("small", null, way.description)),
          h(
            "span",
            { class: "rl-muted" },
            way.key === "order"
              ? t("per_spend", { points: points(program.earnRate.points), amount: money(program.earnRate.perMinor, program.currencyCode) })
              : `+${points(way.points)}`,
          ),
        ),
      ),
    );

  const rewardsView = (program, customer) =>
    h(
      "ul",
      { class: "rl-list" },
      program.rewards.map((reward) => {
        const tier = reward.tier && program.tiers[tierRank(program, reward.tier)];
        const locked = tier && !(customer && customer.tier && tierRank(program, customer.tier.id) >= tierRank(program, reward.tier));
        const short = customer ? reward.pointsCost - customer.balance : 0;
        const details = [
          points(reward.pointsCost),
          reward.minimumOrderMinor > 0 && t("min_order", { amount: money(reward.minimumOrderMinor, program.currencyCode) }),
          tier && t("tier_only", { tier: tier.name }),
        ];
        return item(
          h("span", null, h("b", null, reward.title), h("small", null, details.filter(Boolean).join(" · "))),
          customer &&
            !locked &&
            (short > 0
              ? h("small", { class: "rl-muted" }, t("needs_more", { points: points(short) }))
              : h("button", { type: "button", class: "rl-btn", onclick: (event) => redeem(reward, event.currentTarget) }, t("redeem"))),
        );
      }),
    );

  const noticeView = (shown = notice, kind = "redeem") =>
    shown &&
    h(
      "div",
      { class: shown.error ? "rl-notice rl-notice--error" : "rl-notice", role: shown.error ? "alert" : "status", tabindex: -1, "data-rl-notice": kind },
      shown.code && h("p", null, `${t("your_code")} `, h("code", { class: "rl-code" }, shown.code), " ", copyButton(shown.code)),
      h("p", null, shown.text),
    );

  const joinRow = () =>
    h("div", { class: "rl-row" }, h("a", { class: "rl-btn", href: cfg.registerUrl }, t("join")), h("a", { class: "rl-btn rl-btn--ghost", href: cfg.loginUrl }, t("sign_in")));

  // A friend who came with a referral link: the offer, and a button to claim it (a guest signs in first).
  const giftView = (program, customer) => {
    const offer = program.referral && program.referral.friendDiscount;
    if (!offer || !(ref || gift)) return null;
    const amount = offer.percent ? new Intl.NumberFormat(cfg.locale, { style: "percent" }).format(offer.percent / 100) : money(offer.amountMinor, program.currencyCode);
    return section(
      t("ref_title"),
      h("p", null, t("ref_offer", { amount })),
      offer.minimumOrderMinor > 0 && h("p", { class: "rl-muted" }, t("min_order", { amount: money(offer.minimumOrderMinor, program.currencyCode) })),
      noticeView(gift, "gift"),
      ref && (customer ? h("button", { type: "button", class: "rl-btn", onclick: (event) => claim(event.currentTarget) }, t("ref_claim")) : [h("p", null, t("ref_sign_in")), joinRow()]),
    );
  };

  const memberView = (program, customer) => [
    h("p", { class: "rl-hello" }, t("greeting", { name: customer.firstName || "" })),
    giftView(program, customer),
    balanceView(customer),
    tierView(program, customer),
    section(t("rewards"), noticeView(), rewardsView(program, customer)),
    section(t("ways_to_earn"), waysView(program)),
    customer.rewardsIssued.length > 0 &&
      section(
        t("your_rewards"),
        h(
          "ul",
          { class: "rl-list" },
          customer.rewardsIssued.slice(0, 5).map((issued) => item(h("span", null, issued.title), h("code", { class: "rl-code" }, issued.code))),
        ),
      ),
    customer.referralUrl &&
      section(
        t("referral"),
        h("p", null, t("referral_text")),
        h("div", { class: "rl-row" }, h("input", { class: "rl-input", readonly: true, value: customer.referralUrl, "aria-label": t("referral") }), copyButton(customer.referralUrl)),
      ),
    section(
      t("history"),
      customer.history.length === 0
        ? h("p", { class: "rl-muted" }, t("no_history"))
        : h(
            "ul",
            { class: "rl-list" },
            customer.history.slice(0, 5).map((entry) =>
              item(
                h("span", null, entry.description, h("small", null, date.format(new Date(entry.at)))),
                h("b", { class: entry.points < 0 ? "rl-neg" : "rl-pos" }, `${entry.points > 0 ? "+" : ""}${number.format(entry.points)}`),
              ),
            ),
          ),
    ),
  ];

  const guestView = (program, gifted = giftView(program)) => [
    gifted,
    section(t("how_it_works"), h("p", null, t("how_it_works_text")), !gifted && joinRow()),
    section(t("ways_to_earn"), waysView(program)),
    section(t("rewards"), rewardsView(program, null)),
  ];

  // What each [data-rl-view] element shows: the panel's body, or one of the theme blocks.
  const views = {
    panel: ({ program, customer }) =>
      program.enabled === false ? h("p", null, t("unavailable")) : customer ? memberView(program, customer) : guestView(program),
    balance: ({ customer }) => customer && balanceView(customer),
    tier: ({ program, customer }) => customer && tierView(program, customer),
    ways: ({ program }) => waysView(program),
    rewards: ({ program, customer }) => [noticeView(), rewardsView(program, customer)],
  };
  const paint = () => {
    for (const el of document.querySelectorAll("[data-rl-view]")) el.replaceChildren(...[views[el.dataset.rlView](data)].flat(2).filter(Boolean));
  };
  const show = (body) =>
    load().then(paint, () =>
      body.replaceChildren(h("p", { role: "alert" }, t("load_error")), h("button", { type: "button", class: "rl-btn", onclick: () => show(body) }, t("retry"))),
    );

  // Puts the new code into the shopper's cart session, so checkout applies it on every plan.
  const applyToCart = (code) =>
    fetch(`/discount/${encodeURIComponent(code)}`, { credentials: "same-origin", redirect: "manual" }).then(
      (response) => response.ok || response.type === "opaqueredirect",
      () => false,
    );

  const codeNotice = async (code) => {
    const applied = await applyToCart(code);
    if (applied) document.dispatchEvent(new CustomEvent("retention:discount-applied", { detail: { code } }));
    return { code, text: t(applied ? "code_applied" : "code_not_applied") };
  };

  const post = async (path, payload) => {
    let response;
    let body = {};
    try {
      response = await fetch(`${cfg.proxy}/${path}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
      });
      body = await response.json();
    } catch {
      // a network failure or a body that is not JSON: reported by the caller like any other failure
    }
    return [response, body];
  };

  const settle = (button, kind) => {
    const view = button.closest("[data-rl-view]");
    paint();
    const shown = view && view.querySelector(`[data-rl-notice=${kind}]`);
    if (shown) shown.focus();
  };

  const redeem = async (reward, button) => {
    button.disabled = true;
    button.textContent = t("redeeming");
    const [response, body] = await post("redeem", { rewardId: reward.id });
    if (!response || !response.ok || typeof body.balance !== "number") {
      notice = { error: true, text: (body.error && body.error.message) || t("redeem_failed") };
    } else {
      data.customer.balance = body.balance;
      data.customer.rewardsIssued.unshift({ code: body.code, title: body.title, at: new Date().toISOString() });
      notice = body.code ? await codeNotice(body.code) : { text: t("credit_added", { amount: money(body.creditedMinor, data.program.currencyCode) }) };
    }
    settle(button, "redeem");
  };

  const keep = (code) => {
    ref = code;
    if (root) root.classList.toggle("rl--gift", !!code); // a dot on the launcher
    try {
      code ? localStorage.setItem("rl-ref", code) : localStorage.removeItem("rl-ref");
    } catch {
      // storage blocked: kept for this page only
    }
  };

  const claim = async (button) => {
    button.disabled = true;
    button.textContent = t("loading");
    const [response, body] = await post("referral", { code: ref });
    if (response && response.ok && body.code) {
      keep(null);
      gift = await codeNotice(body.code);
    } else {
      const error = body.error || {};
      // Forget a refused link; keep it to try again after a failure or a rate limit.
      if (response && /^40[0349]$/.test(response.status)) keep(null);
      gift = { error: true, text: t(`ref_${error.code}`) || error.message || t("ref_failed") };
    }
    settle(button, "gift");
  };

  // `?ref=` on any page, if it can be one of our codes (other tools use ?ref= too); else the one kept earlier.
  const linked = new URLSearchParams(location.search).get("ref");
  try {
    ref = localStorage.getItem("rl-ref");
  } catch {
    // storage blocked
  }
  keep(/^[2-9a-hj-np-z]{12}$/i.test(linked) ? linked.toUpperCase() : ref);

  const stylesheet = h("link", { rel: "stylesheet", href: cfg.css });
  document.head.append(stylesheet);

  if (root) {
    const launcher = root.querySelector(".rl-launcher");
    const dialog = root.querySelector("dialog");
    const body = dialog.querySelector("[data-rl-view]");
    // Shown once styled, so the fixed launcher never appears in the page flow first.
    stylesheet.addEventListener("load", () => (root.hidden = false));
    launcher.addEventListener("click", () => {
      dialog.showModal();
      launcher.setAttribute("aria-expanded", "true");
      if (!data) {
        body.replaceChildren(h("p", { class: "rl-muted" }, t("loading")));
        show(body);
      }
    });
    dialog.addEventListener("close", () => {
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    });
    // A click on the backdrop lands on the dialog itself; the content sits in an inner wrapper.
    dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
    root.querySelector(".rl-close").addEventListener("click", () => dialog.close());
  }
  if (document.querySelector("[data-rl-block]")) load().then(paint, () => {});
})();
