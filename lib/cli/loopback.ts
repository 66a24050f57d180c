/** Loopback hosts are local mode: not signed (unless CORRAL_SIGV4=1), and "npm start" is the fix when they refuse. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
