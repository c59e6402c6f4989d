// Small formatting helpers shared by our modules (one copy, imported where needed).

// Sizes as the pages show them: Django's filesizeformat (1 KB = 1024 bytes, one decimal).
export function humanSize(bytes) {
  if (bytes === 1) return "1 byte";
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
