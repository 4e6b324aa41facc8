// The receipt's date in the browser's own time zone; without JavaScript the UTC date stays the only one.
document.querySelectorAll('time[data-local-time]').forEach((el) => {
  const at = new Date(el.getAttribute('datetime'));
  if (Number.isNaN(at.getTime())) return;
  el.textContent = at.toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  el.closest('[hidden]')?.removeAttribute('hidden');
});
