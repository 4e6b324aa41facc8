/** A back-office owner signed in through the login form, as a browser does: the session cookie. */
export async function signIn(baseUrl: string, user: { email: string; password: string }): Promise<string> {
  const login = await fetch(`${baseUrl}/office/login`);
  const formCookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const signedIn = await fetch(`${baseUrl}/office/login`, {
    method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: formCookie },
    body: new URLSearchParams({ _csrf: token, email: user.email, password: user.password }).toString(),
  });
  const session = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('tp_office='));
  if (!session) throw new Error(`sign-in for the bench failed: ${signedIn.status}`);
  return session;
}
