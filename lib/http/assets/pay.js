// Progressive enhancement of the hosted pages. Every page works without it.
(() => {
  const fmt = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

  // Screen readers hear the countdowns through one polite live region, at a few moments only (not every second).
  const announcer = document.querySelector('[data-announce]');
  const announce = (text) => {
    if (!announcer) return;
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = text; }, 100);
  };
  const SPOKEN = new Set([240, 180, 120, 60, 30, 0]);

  // Countdown of the code's life, from the seconds the server counted (the phone's clock may be wrong).
  const expiry = document.querySelector('[data-expires-in]');
  if (expiry) {
    const end = performance.now() + Number(expiry.dataset.expiresIn) * 1000;
    // the smallest moment at or after this second: moments already passed when the page opened are not spoken
    const momentOf = (left, below) => Math.min(...[...SPOKEN].filter((s) => left <= s && s < below));
    let spoken = momentOf(Number(expiry.dataset.expiresIn), Infinity);
    const tick = () => {
      const left = Math.max(0, Math.round((end - performance.now()) / 1000));
      const text = left > 0 ? expiry.dataset.textCountdown.replace('{time}', fmt(left)) : expiry.dataset.textExpired;
      expiry.textContent = text;
      // the whole minutes, 30 s and the end; a skipped second (a sleeping tab) speaks the next moment due
      const due = momentOf(left, spoken);
      if (Number.isFinite(due)) {
        spoken = due;
        announce(text);
      }
      if (left > 0) setTimeout(tick, 1000);
    };
    tick();
  }

  // A new code only after a short cooldown, so impatient taps do not burn the buyer's hourly codes.
  // The button stays in the Tab order (aria-disabled, not disabled) and refuses clicks while waiting.
  const resend = document.querySelector('button[data-cooldown]');
  if (resend && Number(resend.dataset.cooldown) > 0) {
    const label = resend.textContent;
    const end = performance.now() + Number(resend.dataset.cooldown) * 1000;
    resend.setAttribute('aria-disabled', 'true');
    resend.form.addEventListener('submit', (event) => {
      if (resend.getAttribute('aria-disabled') === 'true') event.preventDefault();
    });
    const tick = () => {
      const left = Math.max(0, Math.round((end - performance.now()) / 1000));
      if (left === 0) {
        resend.removeAttribute('aria-disabled');
        resend.textContent = label;
        if (announcer) announce(announcer.dataset.textResendReady);
        return;
      }
      resend.textContent = resend.dataset.textWait.replace('{time}', fmt(left));
      setTimeout(tick, 1000);
    };
    tick();
  }

  // WebOTP: the SMS ends with "@our.host #code", so the browser can offer the code and we submit it.
  const codeForm = document.querySelector('form[data-code-form]');
  if (codeForm && 'OTPCredential' in window) {
    const abort = new AbortController();
    codeForm.addEventListener('submit', () => abort.abort());
    navigator.credentials
      .get({ otp: { transport: ['sms'] }, signal: abort.signal })
      .then((otp) => {
        if (!otp || !otp.code) return;
        codeForm.querySelector('input[name=code]').value = otp.code;
        codeForm.requestSubmit();
      })
      .catch(() => {});
  }

  // The phone: a country selector and formatting as you type (libphonenumber-js, the server's own rules).
  const phoneForm = document.querySelector('form[data-phone-form]');
  const lib = window.libphonenumber;
  if (phoneForm && lib) {
    const input = phoneForm.querySelector('input[name=phone]');
    const names = 'DisplayNames' in Intl ? new Intl.DisplayNames([input.dataset.lang || 'en'], { type: 'region' }) : null;
    const countries = lib.getCountries()
      .map((code) => ({ code, name: (names && names.of(code)) || code, dial: lib.getCountryCallingCode(code) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const select = document.createElement('select');
    select.id = 'phone-country';
    select.setAttribute('autocomplete', 'tel-country-code');
    select.add(new Option('—', ''));
    for (const c of countries) select.add(new Option(`${c.name} (+${c.dial})`, c.code));
    const label = document.createElement('label');
    label.htmlFor = select.id;
    label.textContent = input.dataset.countryLabel;
    const phoneLabel = phoneForm.querySelector('label[for=phone]');
    phoneForm.insertBefore(label, phoneLabel);
    phoneForm.insertBefore(select, phoneLabel);

    const detect = () => {
      const typer = new lib.AsYouType();
      typer.input(input.value);
      return typer.getCountry();
    };
    // only what the typed number says: a guess from the browser's locale would turn "7903…" into "+1 7903…"
    select.value = detect() || '';

    const reformat = () => {
      let value = input.value;
      // digits without "+": national digits of the chosen country, else international (as the server reads them)
      if (value && !value.startsWith('+')) value = select.value ? `+${lib.getCountryCallingCode(select.value)}${value.replace(/^0+/, '')}` : `+${value}`;
      const formatted = new lib.AsYouType().input(value);
      if (formatted && formatted !== input.value) input.value = formatted;
      const found = detect();
      if (found && found !== select.value) select.value = found;
    };
    input.addEventListener('input', (event) => {
      if (event.inputType && event.inputType.startsWith('delete')) return; // let people delete freely
      reformat();
    });
    select.addEventListener('change', () => {
      const dial = `+${lib.getCountryCallingCode(select.value)}`;
      const digits = input.value.replace(/^\+\d{0,3}\s?/, '');
      input.value = select.value ? `${dial} ${digits}`.trim() : input.value;
      reformat();
      input.focus();
    });
  }
})();
