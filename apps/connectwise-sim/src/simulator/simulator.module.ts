import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Simulator } from './simulator';

/** Makes the one Simulator instance injectable everywhere. */
@Global()
@Module({})
export class SimulatorModule {
  static forRoot(simulator: Simulator): DynamicModule {
    return { module: SimulatorModule, providers: [{ provide: Simulator, useValue: simulator }], exports: [Simulator] };
  }
}
