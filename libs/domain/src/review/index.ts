export * from './review-policy';
export * from './line-changes';
export * from './edited-lines';
export * from './review-step';
export * from './dating';
export * from './reconciliation';
