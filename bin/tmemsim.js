#!/usr/bin/env node
// Thin shim: run the built CLI (npm install builds dist/ through the prepare script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
