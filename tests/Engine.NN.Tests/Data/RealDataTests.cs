using Engine.NN.Data;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Data;

/// <summary>The real MNIST and Fashion-MNIST files beside the project (skipped, with the reason, when they are absent).</summary>
public class RealDataTests
{
    [Theory]
    [InlineData("mnist", true, 60_000, 5)]
    [InlineData("mnist", false, 10_000, 7)]
    [InlineData("fashion-mnist", true, 60_000, 9)]
    [InlineData("fashion-mnist", false, 10_000, 9)]
    public void LoadsBothSplitsWithTheirSizesAndFirstLabel(string name, bool train, int count, int firstLabel)
    {
        var data = Mnist.Load(TestData.RequireFolder(name), train);
        Assert.Equal(count, data.Count);
        Assert.Equal([1, 28, 28], data.SampleShape);
        Assert.Equal(firstLabel, data.Label(0));
        var histogram = new int[10];
        for (int i = 0; i < data.Count; i++) histogram[data.Label(i)]++;
        Assert.All(histogram, n => Assert.InRange(n, count / 20, count / 5));
        var pixels = data.Pixels(0).ToArray();
        Assert.Equal(0, pixels[0]);
        Assert.True(pixels.Max() > 200, "the first image has bright strokes");
    }
}
