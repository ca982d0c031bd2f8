// Packages of the modeler that publish no type declarations; typed here as far as we use them.
declare module 'dmn-js/lib/Modeler' {
  interface DmnView { readonly type: string; readonly element: { readonly id: string; readonly name?: string } }
  export default class DmnModeler {
    constructor(options: { container: HTMLElement; common?: Record<string, unknown> });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    open(view: DmnView): Promise<unknown>;
    getActiveViewer(): { get<T>(name: string): T } | undefined;
    on(event: string, callback: (event: unknown) => void): void;
    destroy(): void;
  }
}

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: import("didi").ModuleDeclaration;
  export const BpmnPropertiesProviderModule: import("didi").ModuleDeclaration;
  export const ZeebePropertiesProviderModule: import("didi").ModuleDeclaration;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const behaviors: import("didi").ModuleDeclaration;
  export default behaviors;
}
