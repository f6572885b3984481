// The public API, one report per entry point, kept in api/ (API Extractor, from the built .d.ts).
// `npm run api:check` fails when the API differs from the checked-in reports; `npm run api:update`
// rewrites them, so a change to the public API is always a reviewed change to api/*.api.md.
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');
const ENTRIES = {
  'nestjs-dintero-auth': 'index',
  testing: 'testing/index',
  'fake-dintero': 'fake-dintero/index',
  config: 'config/index',
  health: 'health/index',
  redis: 'redis/index',
};
const QUIET = { logLevel: 'none' };

let failed = false;
for (const [name, entry] of Object.entries(ENTRIES)) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: `<projectFolder>/dist/${entry}.d.ts`,
      compiler: { tsconfigFilePath: '<projectFolder>/tsconfig.build.json' },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: '<projectFolder>/api/',
        reportTempFolder: '<projectFolder>/.api-temp/',
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        // Types used by public ones but not exported (the module's base class, the config) are
        // listed in the report; the report is the review.
        extractorMessageReporting: {
          default: { logLevel: 'warning' },
          'ae-forgotten-export': { ...QUIET, addToApiReportFile: true },
          'ae-missing-release-tag': QUIET,
          'ae-undocumented': QUIET,
          'ae-unresolved-link': QUIET,
        },
        tsdocMessageReporting: { default: QUIET },
      },
    },
    configObjectFullPath: `${root}api-extractor.json`,
    packageJsonFullPath: `${root}package.json`,
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (result.apiReportChanged && !update) {
    spawnSync('diff', ['-u', `api/${name}.api.md`, `.api-temp/${name}.api.md`], { cwd: root, stdio: 'inherit' });
    console.error(`The public API of ${name} changed (diff above); if that is meant, run npm run api:update and commit api/.`);
    failed = true;
  } else if (!result.succeeded) failed = true;
}
process.exitCode = failed ? 1 : 0;
