// Read by puppeteer when tests/render/install.sh runs npm: never download a browser (the check
// uses Debian's /usr/bin/chromium, see puppeteer-config.json). install.sh also sets
// PUPPETEER_SKIP_DOWNLOAD=1 and runs npm with --ignore-scripts.
module.exports = { skipDownload: true };
