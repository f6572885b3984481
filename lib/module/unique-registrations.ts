import { ModulesContainer } from '@nestjs/core';
import { DinteroAuthConfigError, type DinteroAuthConfigIssue } from '../errors/dintero-auth-config.error.js';

/** What each registration records about itself, so that start-up can compare them. */
export interface DinteroRegistration {
  readonly name: string | undefined;
  readonly isGlobal: boolean;
}

/** Injection token of a registration's {@link DinteroRegistration}. */
export const DINTERO_REGISTRATION = Symbol('DINTERO_REGISTRATION');

/**
 * Fails start-up when two registrations would answer the same injection: two with one name,
 * or two unnamed global ones (a plain `DinteroTokenService` would then mean either).
 */
export function assertUniqueRegistrations(modules: ModulesContainer): void {
  const issues: DinteroAuthConfigIssue[] = [];
  const counts = new Map<string | undefined, number>();
  for (const module of modules.values()) {
    const registration = module.providers.get(DINTERO_REGISTRATION)?.instance as DinteroRegistration | undefined;
    if (!registration || (registration.name === undefined && !registration.isGlobal)) continue;
    const { name } = registration;
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
      issues.push({ path: 'name', problem: 'must be a non-empty string, such as "norway"' });
    } else counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const [name, count] of counts) {
    if (count < 2) continue;
    issues.push(
      name === undefined
        ? { path: 'isGlobal', problem: `${count} unnamed global registrations; give each account a name, or all but one isGlobal: false` }
        : {
            path: 'name',
            problem: `${JSON.stringify(name)} is used by ${count} registrations; each name must be unique in an application`,
          },
    );
  }
  if (issues.length > 0) throw DinteroAuthConfigError.fromIssues(issues);
}

/** Provider that runs the check while the application is created, before any token request. */
export const UNIQUE_REGISTRATIONS_CHECK = {
  provide: Symbol('DINTERO_UNIQUE_REGISTRATIONS'),
  useFactory: (modules: ModulesContainer): true => {
    assertUniqueRegistrations(modules);
    return true;
  },
  inject: [ModulesContainer],
};
