export * from './portal-app';
export * from './settings';
export { lintBpmn, checkDmn, checkForm, BPMN_LINT_CONFIG, type ModelProblem } from './deployments/model-lint';
