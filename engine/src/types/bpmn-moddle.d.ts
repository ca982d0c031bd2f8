// bpmn-moddle ships types for its model (bpmn-moddle/types) but not for its
// entry point; this declares the little of it the engine calls.
declare module 'bpmn-moddle' {
  export interface ParseResult {
    rootElement: unknown;
    warnings: { message: string }[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}

// dmn-moddle, likewise: only its entry point.
declare module 'dmn-moddle' {
  export interface ParseResult {
    rootElement: unknown;
    warnings: { message: string }[];
  }
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
