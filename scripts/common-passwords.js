// Writes the common-password list tiendo refuses, one a line, from the npm
// package @zxcvbn-ts/language-common (MIT; pinned in package-lock.json): the
// ~49 000 most common passwords zxcvbn ranks by frequency in leaked
// password sets. Usage: node scripts/common-passwords.js OUT
const fs = require('fs');
const mod = require('@zxcvbn-ts/language-common/dist/passwords.json.cjs');
const list = mod.default || mod;
if (!Array.isArray(list) || list.length < 10000) {
  throw new Error('unexpected password list shape: ' + typeof list);
}
fs.writeFileSync(process.argv[2], list.map((p) => p.toLowerCase()).join('\n') + '\n');
