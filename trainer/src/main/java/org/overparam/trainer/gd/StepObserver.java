package org.overparam.trainer.gd;

/**
 * Looks at a net during gradient descent (instruments). {@link #observe} is called with the net in
 * the state after {@code step} updates, for every step the observer {@link #wants}; {@link #finish}
 * once, after the last step, whatever it is. When the initial loss is not finite, only
 * {@code finish(0, loss0)} is called.
 */
public interface StepObserver {
    /** Observes nothing. */
    StepObserver NONE = new StepObserver() {
        @Override
        public boolean wants(int step) {
            return false;
        }

        @Override
        public void observe(int step, double loss) {
        }

        @Override
        public void finish(int step, double loss) {
        }
    };

    boolean wants(int step);

    void observe(int step, double loss);

    void finish(int step, double loss);
}
