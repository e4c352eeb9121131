/**
 * The Apollo Server plugin of the limits that need the parsed, validated document: depth, aliases
 * and directives (graphql-armor's rules), introspection, the requested cost, and the principal's
 * cost budget. It runs when the operation is resolved, after graphql's own validation (which
 * already refuses fragment cycles) and before execution: a refusal is a coded error with its HTTP
 * status, and no resolver runs. Every response of an operation that was weighed carries
 * `extensions.cost` (Shopify's shape).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, validate, type ValidationContext, type ValidationRule } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { limitError, type LimitErrorCode } from './codes.js';
import type { CostBudget } from './budget.js';
import { operationCost, type CostWeights } from './cost.js';
import { introspectionExcess, type IntrospectionLimits } from './introspection.js';

/** What {@link limitsPlugin} enforces. */
export interface OperationLimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Most requested cost of one operation. */
  maxCost: number;
  weights: CostWeights;
  introspection: IntrospectionLimits;
  /** The per-principal budget; none: only `maxCost` applies. */
  budget?: CostBudget | undefined;
  /** Called on each refusal (for logs and metrics). */
  onRefusal?: (code: LimitErrorCode) => void;
  /** Called when the budget's store fails (the request then runs: the other limits still hold). */
  onBudgetError?: (error: unknown) => void;
}

/** `extensions.cost` of a response. */
export interface CostExtension {
  requestedQueryCost: number;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** The principal's id for the budget: the authenticated principal's, else `anonymous`. */
function budgetKeyOf(context: unknown): string {
  const principal = (context as { principal?: Principal } | undefined)?.principal;
  // Key names are unique within a tenant only.
  return principal ? `${principal.tenant}/${principal.id}` : 'anonymous';
}

/** graphql-armor's depth, aliases and directives rules, reporting with our codes instead of throwing. */
function armorRules(settings: Pick<OperationLimitSettings, 'maxDepth' | 'maxAliases' | 'maxDirectives'>): ValidationRule[] {
  const report = (code: LimitErrorCode) => (context: ValidationContext | null, error: GraphQLError) => {
    // armor's messages start with "Syntax Error: " (they are not): kept without it.
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } }));
  };
  const { validationRules } = new ApolloArmor({
    // Counted by the HTTP middleware before parsing, and weighed by our own cost (variables, ids, type weights).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Error messages are left as graphql writes them.
    blockFieldSuggestion: { enabled: false },
    // Fragments are not a level; `__schema` has its own limits (introspection.ts).
    maxDepth: { n: settings.maxDepth, flattenFragments: true, ignoreIntrospection: true, onReject: [report('QUERY_TOO_DEEP')], propagateOnRejection: false },
    maxAliases: { n: settings.maxAliases, onReject: [report('TOO_MANY_ALIASES')], propagateOnRejection: false },
    maxDirectives: { n: settings.maxDirectives, onReject: [report('TOO_MANY_DIRECTIVES')], propagateOnRejection: false },
  }).protect();
  return validationRules ?? [];
}

/**
 * The plugin. Refusals: `QUERY_TOO_DEEP`, `TOO_MANY_ALIASES`, `TOO_MANY_DIRECTIVES`,
 * `INTROSPECTION_TOO_COMPLEX`, `QUERY_TOO_COSTLY` (400) and `RATE_LIMITED` (429 with
 * `Retry-After` and `extensions.retryAfterSeconds`).
 */
export function limitsPlugin(settings: OperationLimitSettings): ApolloServerPlugin<BaseContext> {
  const rules = armorRules(settings);
  const refuse = (code: LimitErrorCode, message: string, retryAfterSeconds?: number): never => {
    settings.onRefusal?.(code);
    throw limitError(code, message, retryAfterSeconds);
  };
  return {
    async requestDidStart() {
      let cost: CostExtension | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          // Introspection first: its refusal says more than the depth's (armor's depth counts into `__type`).
          const introspection = introspectionExcess(document, operation, settings.introspection);
          if (introspection) refuse('INTROSPECTION_TOO_COMPLEX', introspection);
          const [first] = validate(schema, document, rules);
          if (first) refuse(first.extensions.code as LimitErrorCode, first.message);
          const requested = operationCost(schema, document, operation, request.variables, settings.weights);
          const requestedQueryCost = Number.isFinite(requested) ? Math.ceil(requested) : Number.MAX_SAFE_INTEGER;
          cost = { requestedQueryCost };
          const budget = settings.budget;
          const ceiling = budget ? Math.min(settings.maxCost, budget.settings.maximumAvailable) : settings.maxCost;
          if (requestedQueryCost > ceiling) refuse('QUERY_TOO_COSTLY', `The query's cost is ${requestedQueryCost}; at most ${ceiling} is allowed.`);
          if (!budget) return;
          let take;
          try {
            take = await budget.take(budgetKeyOf(contextValue), requestedQueryCost);
          } catch (e) {
            settings.onBudgetError?.(e);
            return;
          }
          const { maximumAvailable, restoreRate } = budget.settings;
          cost.throttleStatus = { maximumAvailable, currentlyAvailable: Math.floor(take.currentlyAvailable), restoreRate };
          if (!take.allowed) {
            refuse('RATE_LIMITED', `The query's cost is ${requestedQueryCost}, more than the ${Math.floor(take.currentlyAvailable)} points available; try again in ${take.retryAfterSeconds} s.`, take.retryAfterSeconds);
          }
        },
        async willSendResponse({ response }) {
          if (!cost || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}
