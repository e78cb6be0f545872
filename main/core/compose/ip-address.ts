/**
 * IP address checks for host IPs of published ports and extra hosts, as strict as Go's
 * net.ParseIP (which Docker uses): dotted-quad IPv4 without leading zeros, and IPv6 in
 * any of its textual forms (with `::` and an optional trailing IPv4 part).
 */

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^(?:0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

export function isIPv6(text: string): boolean {
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  let groupsText = text;
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    if (!isIPv4(lastPart)) return false;
    groupsText = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const groups = [...groupsOf(halves[0]), ...(halves.length === 2 ? groupsOf(halves[1]) : [])];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}
