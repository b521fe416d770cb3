using Engine.NN.Data;
using Xunit;

namespace Engine.NN.Tests.Data;

/// <summary>The synthetic 2-D sets: shapes, balanced labels, geometry, and determinism by seed.</summary>
public class SyntheticTests
{
    private static (float[] Features, int[] Labels) Read(IDataset data)
    {
        var features = new float[data.Count * 2];
        for (int i = 0; i < data.Count; i++) data.CopySample(i, features.AsSpan(2 * i, 2));
        return (features, [.. Enumerable.Range(0, data.Count).Select(data.Label)]);
    }

    [Fact]
    public void SetsAreSeededBalancedAndShapedAsDescribed()
    {
        var spirals = Synthetic.Spirals(300, classes: 3, noise: 0, seed: 4);
        Assert.Equal([2], spirals.SampleShape);
        Assert.Equal(3, spirals.ClassCount);
        var (features, labels) = Read(spirals);
        Assert.Equal(100, labels.Count(l => l == 2));
        Assert.All(Enumerable.Range(0, 300), i => Assert.True(Math.Sqrt(features[2 * i] * features[2 * i] + features[2 * i + 1] * features[2 * i + 1]) <= 1.0001));
        Assert.Equal(Read(Synthetic.Spirals(300, 3, noise: 0, seed: 4)).Features, features);
        Assert.NotEqual(Read(Synthetic.Spirals(300, 3, noise: 0, seed: 5)).Features, features);

        var (circle, circleLabels) = Read(Synthetic.Circles(200, noise: 0, factor: 0.3, seed: 1));
        for (int i = 0; i < 200; i++)
            Assert.Equal(circleLabels[i] == 0 ? 1 : 0.3, Math.Sqrt(circle[2 * i] * circle[2 * i] + circle[2 * i + 1] * circle[2 * i + 1]), 1e-5);
        var (moons, moonLabels) = Read(Synthetic.Moons(200, noise: 0, seed: 1));
        for (int i = 0; i < 200; i++)
        {
            double x = moonLabels[i] == 0 ? moons[2 * i] : 1 - moons[2 * i], y = moonLabels[i] == 0 ? moons[2 * i + 1] : 0.5 - moons[2 * i + 1];
            Assert.Equal(1, x * x + y * y, 1e-5);
        }
    }
}
