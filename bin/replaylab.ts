#!/usr/bin/env node
import { runCli } from './cli.js';
import { tuneV8 } from './tune-v8.js';

tuneV8();

process.exitCode = await runCli(process.argv);
