using Engine.Random;

namespace Engine.NN;

/// <summary>The convolutions of the ResNet blocks: no bias (batch norm follows), Kaiming-normal fan-out weights as torchvision initialises them.</summary>
internal static class ResNetLayers
{
    public static Conv2d Conv(int inPlanes, int outPlanes, int kernel, int stride, DType dtype, Generator? generator)
    {
        var conv = new Conv2d(inPlanes, outPlanes, kernel, stride, kernel / 2, bias: false, dtype: dtype, generator: generator);
        Init.KaimingNormal(conv.Weight, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: generator);
        return conv;
    }

    /// <summary>The projection shortcut: a strided 1x1 convolution and batch norm.</summary>
    public static Sequential Projection(int inPlanes, int outPlanes, int stride, DType dtype, Generator? generator) =>
        new(Conv(inPlanes, outPlanes, 1, stride, dtype, generator), new BatchNorm2d(outPlanes, dtype: dtype));
}
