// The peer of the conversion benchmark: onnxruntime loads an ONNX model, runs
// its graph optimizer (constant folding, Conv+BatchNormalization fusion, ...)
// and saves the optimized model, then the process exits. That is the work of
// `irforge --input_model`, done by onnxruntime (npm package onnxruntime-node,
// whose Linux x64 native library ships inside the package).
//
// Usage: node ort_optimize.js in.onnx optimized.onnx [all|extended|basic]
// The package is looked up in benchmarks/scratch/node_modules (where
// run_conversion_benchmark.sh installs it), then the usual way.
'use strict';

// onnxruntime 1.2x+ on Linux starts a telemetry system that keeps a SQLite
// database under ~/.cache/Microsoft/DeveloperTools and fsyncs it while the
// session is created (up to 0.3 s of the measured time here), and may try to
// upload. Neither is part of the work measured; the native library reads this
// variable when it creates its environment, i.e. after the require below.
process.env.ORT_DISABLE_TELEMETRY = process.env.ORT_DISABLE_TELEMETRY || '1';

const fs = require('node:fs');
const path = require('node:path');

function loadOrt() {
  const searched = [path.join(__dirname, 'scratch', 'node_modules'), process.cwd()];
  let resolved;
  try {
    resolved = require.resolve('onnxruntime-node', { paths: searched });
  } catch (e) {
    console.error('[ ERROR ]  onnxruntime-node is not installed (looked in ' + searched.join(', ') + '). ' +
                  'Install it with: (cd benchmarks/scratch && npm install --ignore-scripts onnxruntime-node); ' +
                  'if that fails, the npm registry is unreachable from this machine.');
    process.exit(3);
  }
  return require(resolved);
}

async function main() {
  const [input, output, level = 'all'] = process.argv.slice(2);
  if (!input || !output || !['all', 'extended', 'basic', 'disabled'].includes(level)) {
    console.error('usage: node ort_optimize.js in.onnx optimized.onnx [all|extended|basic|disabled]');
    process.exit(2);
  }
  if (!fs.existsSync(input)) {
    console.error('[ ERROR ]  no such model: ' + input);
    process.exit(2);
  }
  const ort = loadOrt();
  const started = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(input, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: level,
    optimizedModelFilePath: output,
    logSeverityLevel: 3, // errors only: 'all' warns that the saved model is specific to this CPU
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await session.release();
  if (!fs.existsSync(output)) {
    console.error('[ ERROR ]  onnxruntime did not write ' + output);
    process.exit(1);
  }
  console.log('onnxruntime ' + (ort.env.versions?.common ?? '?') + ': optimized (' + level + ') and saved ' + output +
              ' (' + fs.statSync(output).size + ' bytes) in ' + seconds.toFixed(2) + ' s');
}

main().catch((e) => {
  console.error('[ ERROR ]  ' + (e && e.message ? e.message : e));
  process.exit(1);
});
