using Xunit;

namespace Engine.NN.Tests.Optim;

/// <summary>Learning-rate schedules against their closed forms, their effect on the optimizer, and resumption.</summary>
public class SchedulerTests
{
    private static double[] Rates(LrScheduler scheduler, int steps)
    {
        var rates = new List<double> { scheduler.Optimizer.LearningRate };
        for (int i = 0; i < steps; i++)
        {
            scheduler.Step();
            rates.Add(scheduler.Optimizer.LearningRate);
        }
        return [.. rates];
    }

    [Fact]
    public void StepMultiStepAndCosineFollowTheirFormulas()
    {
        using var layer = new Linear(1, 1);
        using var sgd = new Sgd(layer.Parameters(), 1.0);
        Assert.Equal([1, 1, 0.5, 0.5, 0.25, 0.25], Rates(new StepLR(sgd, 2, 0.5), 5));
        sgd.LearningRate = 1;
        Assert.Equal([1, 0.1, 0.1, 0.01, 0.01, 0.01], Rates(new MultiStepLR(sgd, [3, 1], 0.1), 5), new Close());
        sgd.LearningRate = 1;
        var cosine = Rates(new CosineAnnealingLR(sgd, 4, 0.2), 4);
        Assert.Equal([1, 0.2 + 0.8 * (1 + Math.Cos(Math.PI / 4)) / 2, 0.6, 0.2 + 0.8 * (1 + Math.Cos(3 * Math.PI / 4)) / 2, 0.2], cosine, new Close());
    }

    [Fact]
    public void WarmupRampsLinearlyThenHandsOver()
    {
        using var layer = new Linear(1, 1);
        using var sgd = new Sgd(layer.Parameters(), 0.8);
        var schedule = new WarmupLR(new StepLR(sgd, 2, 0.5), warmupSteps: 4, startFactor: 0.25);
        Assert.Equal([0.2, 0.35, 0.5, 0.65, 0.8, 0.8, 0.4, 0.4], Rates(schedule, 7), new Close());
    }

    [Fact]
    public void ResumeSetsTheRateOfAnyStep()
    {
        using var layer = new Linear(1, 1);
        using var sgd = new Sgd(layer.Parameters(), 1.0);
        var schedule = new StepLR(sgd, 3, 0.1);
        schedule.Resume(7);
        Assert.Equal(7, schedule.StepCount);
        Assert.Equal(0.01, sgd.LearningRate, 1e-15);
        schedule.Step();
        Assert.Equal(8, schedule.StepCount);
    }

    private sealed class Close : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;
        public int GetHashCode(double value) => 0;
    }
}
