// The web command: FrankenPHP's one-line server on PORT with the document
// root, and the original's rewrites of commands written for other servers
// (Heroku's Apache/Nginx scripts, `php -S`, `artisan serve`), which do not
// exist in FrankenPHP's images.

/** `frankenphp php-server` on $PORT serving `root`. */
export function frankenphpCommand(root: string): string {
  return `frankenphp php-server --listen :$PORT --root ${root}`;
}

/**
 * The default: Laravel caches its config when the container starts (it reads
 * the environment the app really runs with), then FrankenPHP takes over as PID 1.
 */
export function webCommand(webroot: string, laravel: boolean): string {
  return laravel ? `php artisan config:cache && exec ${frankenphpCommand("public")}` : frankenphpCommand(webroot);
}

/** A Procfile/RUN_COMMAND for another PHP server becomes the FrankenPHP equivalent (with a warning); others are kept. */
export function rewriteWebCommand(command: string, warnings: string[]): string {
  const words = command.trim().split(/\s+/);
  let root: string | undefined;
  const heroku = words.findIndex((w) => /^(vendor\/bin\/)?heroku-php-(apache2|nginx)$/.test(w));
  if (heroku >= 0) {
    // Options (-C conf, -F fpm.conf, -i ini, -l log) take a value; the last bare word is the document root.
    const rest = words.slice(heroku + 1);
    const bare = rest.filter((w, i) => !w.startsWith("-") && !(i > 0 && /^-[CFil]$/.test(rest[i - 1]!)));
    root = bare.at(-1) ?? ".";
  } else if (words.includes("artisan") && words.includes("serve")) {
    root = "public";
  } else if (words[0] === "php" && words.includes("-S")) {
    const t = words.indexOf("-t");
    root = t >= 0 && words[t + 1] ? words[t + 1]! : ".";
  }
  if (root === undefined) return command;
  const rewritten = frankenphpCommand(root.replace(/\/+$/, "") || ".");
  warnings.push(`\`${command}\` starts a server FrankenPHP's image does not have; running \`${rewritten}\` instead.`);
  return rewritten;
}
