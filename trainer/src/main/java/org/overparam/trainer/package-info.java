/**
 * The numerics of overparam, free of Spark: models ({@link org.overparam.trainer.nets}), data
 * ({@link org.overparam.trainer.data}), full-batch gradient descent ({@link org.overparam.trainer.gd}),
 * convergence-rate fits ({@link org.overparam.trainer.fit}) and one trial end to end
 * ({@link org.overparam.trainer.trial}). Every formula follows {@code shared/theory.md}.
 */
package org.overparam.trainer;
