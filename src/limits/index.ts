/**
 * Limits before execution (README, "Limits"): what a request may ask, checked before any resolver
 * runs, so a refused request makes no vendor call.
 *
 * - at the HTTP edge (`http.ts`): body size (the JSON parser's limit), batched requests, variables
 *   size, tokens, and safelist mode (only persisted operations);
 * - once the operation is parsed and validated (`plugin.ts`): depth, aliases and directives
 *   (graphql-armor), introspection (`introspection.ts`), the requested cost (`cost.ts`) and the
 *   principal's cost budget (`budget.ts`), reported in `extensions.cost`.
 *
 * graphql's own validation refuses fragment cycles (`NoFragmentCycles`). The depth, aliases and
 * directives rules run in the plugin rather than as Apollo `validationRules` because Apollo
 * replaces the code of every validation error with `GRAPHQL_VALIDATION_FAILED`.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { LimitsConfigSchema } from '../config.js';
import { memoryCostBudget, redisCostBudget, type CostBudget } from './budget.js';
import type { LimitErrorCode } from './codes.js';
import { requestLimits } from './http.js';
import { limitsPlugin } from './plugin.js';
import { loadSafelist, type Safelist } from './safelist.js';

export { LIMIT_ERROR_CODES, type LimitErrorCode } from './codes.js';
export { operationCost, DEFAULT_COST_WEIGHTS, type CostWeights } from './cost.js';
export type { CostBudget, BudgetSettings } from './budget.js';

/** What the server mounts. */
export interface Limits {
  /** The Apollo plugins (the operation limits, the cost and the budget). */
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Largest request body in bytes: the JSON body parser's `limit`. */
  maxBodyBytes: number;
  /** Express middleware of the GraphQL route, after the JSON body parser and before Apollo. */
  http: RequestHandler;
  /** The per-principal budget, when on. */
  budget: CostBudget | undefined;
  /** The safelist, in safelist mode. */
  safelist: Safelist | undefined;
  /** Closes the budget's store connection (Redis). */
  close(): Promise<void>;
}

/** Options of {@link createLimits}. */
export interface LimitsOptions {
  /** Redis of the shared budget (the store's `REDIS_URL`); absent: per-process buckets. */
  redisUrl?: string | undefined;
  /** A budget to use instead of the configured one (e.g. one shared by several servers in a test). */
  budget?: CostBudget;
  /** Each refusal, with its code (for logs and metrics). */
  onRefusal?: (code: LimitErrorCode) => void;
  /** The budget's store failed; the request runs under the other limits. */
  onBudgetError?: (error: unknown) => void;
}

/**
 * Builds the limits of `config` (a partial `limits` section; the rest defaults). Reads the
 * safelist manifest now and throws when it is unreadable or invalid. Opens nothing else until the
 * first request (the Redis budget connects at its first take).
 */
export function createLimits(config: z.input<typeof LimitsConfigSchema> = {}, options: LimitsOptions = {}): Limits {
  const limits = LimitsConfigSchema.parse(config);
  const safelist = limits.safelist ? loadSafelist(limits.safelist) : undefined;
  const budget =
    options.budget ??
    (limits.budget.maximumAvailable > 0
      ? options.redisUrl
        ? redisCostBudget(limits.budget, options.redisUrl)
        : memoryCostBudget(limits.budget)
      : undefined);
  return {
    plugins: [
      limitsPlugin({
        maxDepth: limits.maxDepth,
        maxAliases: limits.maxAliases,
        maxDirectives: limits.maxDirectives,
        maxCost: limits.maxCost,
        weights: limits.cost,
        introspection: limits.introspection,
        budget,
        ...(options.onRefusal ? { onRefusal: options.onRefusal } : {}),
        ...(options.onBudgetError ? { onBudgetError: options.onBudgetError } : {}),
      }),
    ],
    maxBodyBytes: limits.maxBodyBytes,
    http: requestLimits({
      maxTokens: limits.maxTokens,
      maxVariablesBytes: limits.maxVariablesBytes,
      safelist,
      ...(options.onRefusal ? { onRefusal: options.onRefusal } : {}),
    }),
    budget,
    safelist,
    close: async () => {
      if (!options.budget) await budget?.close();
    },
  };
}
