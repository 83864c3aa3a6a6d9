// Paths that are never read when they come out of a case file: a UNC path (\\server\share\…) would make
// Windows authenticate to a remote machine, and device paths (\\.\…, \\?\…) reach raw devices or
// bypass path normalisation. Node-free; checked on every platform (a case file travels).
export function isRemoteOrDevicePath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}
