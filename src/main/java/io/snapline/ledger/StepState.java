package io.snapline.ledger;

/** The state a pipeline step has reached. */
public enum StepState { STARTED, WAITING, DONE, SKIPPED, FAILED }
