// Passkeys (docs/buyer-guide.md#paying-with-a-passkey): each form[data-passkey-form] gets its button only where WebAuthn works.
(() => {
  const lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;
  for (const form of document.querySelectorAll('form[data-passkey-form]')) {
    const button = form.querySelector('button[data-passkey]');
    const problem = form.querySelector('[data-passkey-problem]');
    if (!button) continue;
    const area = form.closest('[data-passkey-area]');
    if (area) area.hidden = false;
    button.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      if (problem) problem.hidden = true;
      try {
        const fields = new URLSearchParams();
        for (const input of form.querySelectorAll('input[type=hidden]')) if (input.name !== 'response') fields.append(input.name, input.value);
        const res = await fetch(form.dataset.options, { method: 'POST', body: fields, credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!res.ok) throw new Error(`options: ${res.status}`);
        const optionsJSON = await res.json();
        // the server's challenge comes as base64url bytes; the library passes them on unchanged
        const answer = form.dataset.passkeyForm === 'register' ? await lib.startRegistration({ optionsJSON }) : await lib.startAuthentication({ optionsJSON });
        form.querySelector('input[name=response]').value = JSON.stringify(answer);
        form.submit();
      } catch (err) {
        button.disabled = false;
        if (problem) problem.hidden = false;
        console.warn('passkey', err && err.name, err && err.message);
      }
    });
  }
})();
