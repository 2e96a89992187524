package org.overparam.trainer.models;

import org.overparam.trainer.gd.Deadline;
import org.overparam.trainer.gd.GradientDescent;
import org.overparam.trainer.nets.TwoLayerReluNet;

/**
 * The training of a relu or wn trial, which can also be driven step by step ({@link #start}) so that the CPU trainer
 * forms the forward passes of several such trials together ({@link org.overparam.trainer.nets.ReluNetPack}); driven
 * to its end that way, its {@link org.overparam.trainer.gd.TrainingRun} is the one {@link #train} gives.
 */
public interface PackableTraining extends ModelTraining {
    /** The net being trained. */
    TwoLayerReluNet net();

    /** The trial's gradient descent begun (its initial loss evaluated), with the observers {@link #train} uses. */
    GradientDescent.Steps start(Deadline deadline);
}
