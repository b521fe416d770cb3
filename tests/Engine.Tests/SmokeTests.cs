using Xunit;

namespace Engine.Tests;

public class SmokeTests
{
    [Fact]
    public void AddsTwoTensors()
    {
        using var scope = TensorScope.Begin();
        var sum = Tensor.FromArray([1f, 2f], 2) + Tensor.FromArray([3f, 4f], 2);
        Assert.Equal([4f, 6f], sum.ToArray<float>());
    }
}
