# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

NAMESPACED[dunglas/frankenphp]=frankenphp
NAMESPACED[composer/composer]=composer

# dunglas/frankenphp:php<v>: bookworm's PHP 8.2 CLI (8.2.32 today, so e2e
# fixtures pin .php-version 8.2.32) in the official PHP image layout
# (/usr/local/bin/php, PHP_INI_DIR=/usr/local/etc/php whose conf.d is scanned,
# WORKDIR /app, Caddy's XDG folders). FrankenPHP itself is not a Debian package
# and cannot be had offline: /usr/local/bin/frankenphp here is a shim that
# serves `php-server --listen :PORT --root DIR` with PHP's built-in server and a
# front-controller router (missing files go to DIR/index.php, as php_server
# does). It proves the plan's command line, PORT, document root and user, not
# FrankenPHP. Debian's Composer is installed too: the composer/composer
# stand-in below delegates to it.
standin_frankenphp() {
  [[ $1 == php8.2* ]] || unavailable "dunglas/frankenphp:$1 (Debian ships PHP 8.2; no registry here ships others)"
  rootfs_from ca-certificates,php8.2-cli,composer,unzip
  host_ca
  ln -s /usr/bin/php "$ROOT/usr/local/bin/php"
  mkdir -p "$ROOT/usr/local/etc/php/conf.d" "$ROOT/usr/local/lib/php/extensions" "$ROOT/app" "$ROOT/config" "$ROOT/data"
  cat >"$ROOT/usr/local/lib/frankenphp-standin-router.php" <<'PHP'
<?php
// Stand-in for FrankenPHP's php_server: existing files are served as they are, the rest by index.php.
$root = $_SERVER['DOCUMENT_ROOT'];
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file($root . $path)) return false;
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
$_SERVER['SCRIPT_NAME'] = '/index.php';
chdir($root);
require $root . '/index.php';
PHP
  cat >"$ROOT/usr/local/bin/frankenphp" <<'SH'
#!/bin/sh
# Stand-in for FrankenPHP (not available offline): `frankenphp php-server --listen :PORT --root DIR`
# is served by PHP's built-in server. Other subcommands are not faked.
[ "$1" = php-server ] || { echo "frankenphp stand-in: only php-server is faked" >&2; exit 2; }
shift
listen=":80" root="$PWD"
while [ $# -gt 0 ]; do
  case "$1" in
    --listen|-l) listen=$2; shift 2 ;;
    --root|-r) root=$2; shift 2 ;;
    *) shift ;;
  esac
done
cd "$root" || exit 1
exec php -S "0.0.0.0:${listen##*:}" -t "$(pwd)" /usr/local/lib/frankenphp-standin-router.php
SH
  chmod 755 "$ROOT/usr/local/bin/frankenphp"
  # install-php-extensions (mlocati's, shipped in FrankenPHP's images) compiles extensions; the stand-in
  # installs Debian's build of each instead (apt, as the real tool does for the libraries) and puts it in
  # the official layout: the .so in /usr/local/lib/php/extensions, its ini in $PHP_INI_DIR/conf.d.
  cat >"$ROOT/usr/local/bin/install-php-extensions" <<'SH'
#!/bin/sh
set -eu
apt-get update -qq
for ext in "$@"; do
  case "$ext" in pdo_pgsql) pkg=pgsql ;; pdo_mysql|mysqli) pkg=mysql ;; exif) pkg=common ;; *) pkg=$ext ;; esac
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "php8.2-$pkg" >/dev/null
  # Debian builds mysqlnd as a module that mysqli and pdo_mysql load through; the official images compile it in.
  case "$ext" in mysqli|pdo_mysql) mods="mysqlnd $ext" ;; *) mods=$ext ;; esac
  for mod in $mods; do
    phpdismod -v 8.2 "$mod" 2>/dev/null || true
    cp "$(find /usr/lib/php -name "$mod.so" | head -n1)" /usr/local/lib/php/extensions/
  done
  [ "$mods" = "$ext" ] || echo "extension=/usr/local/lib/php/extensions/mysqlnd.so" >/usr/local/etc/php/conf.d/docker-php-ext-0-mysqlnd.ini
  echo "extension=/usr/local/lib/php/extensions/$ext.so" >"/usr/local/etc/php/conf.d/docker-php-ext-$ext.ini"
done
rm -rf /var/lib/apt/lists/*
SH
  chmod 755 "$ROOT/usr/local/bin/install-php-extensions"
  config "ENV PATH=$DEFAULT_PATH" "ENV PHP_INI_DIR=/usr/local/etc/php" "ENV PHP_INI_SCAN_DIR=:/usr/local/etc/php/conf.d" \
    "ENV XDG_CONFIG_HOME=/config" "ENV XDG_DATA_HOME=/data" "WORKDIR /app" \
    'CMD ["frankenphp", "run", "--config", "/etc/frankenphp/Caddyfile"]'
}

# composer/composer:2-bin holds only /composer (the phar). Offline there is no
# phar to be had; this /composer runs Debian's Composer (2.5), which the
# frankenphp stand-in carries. So it works only in build stages on that stand-in.
standin_composer() {
  printf '#!/bin/sh\n# stand-in for the Composer phar: Debian'"'"'s Composer in the frankenphp stand-in\nexec /usr/bin/composer "$@"\n' >"$ROOT/composer"
  chmod 755 "$ROOT/composer"
  config 'CMD ["/composer"]'
}
