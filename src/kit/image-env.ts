// The PATH every Debian-based official image sets (providers' imageEnv builds on it).
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
