package org.reprolab.lab;

import java.util.concurrent.Callable;

/** One run waiting to execute: its label for the progress bar, its recorder, and the work. */
record Job(String label, Recorder recorder, Callable<Run> body) {}
