using Engine.NN.Checkpoints;
using Engine.Random;
using Engine.Tests.Support;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Checkpoints;

/// <summary>A module's parameters and buffers saved as safetensors load back bit for bit, and mismatches are named.</summary>
public class ModuleCheckpointTests
{
    [Fact]
    public void AModuleCheckpointLoadsBackBitIdentically()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "resnet.safetensors");
        using var saved = new ResNet(ResNetBlock.Basic, 1, classes: 5, generator: new Generator(1));
        using (TensorScope.Begin()) saved.Forward(Tensor.Randn([4, 3, 8, 8], generator: new Generator(2)));
        saved.SaveSafeTensors(path);
        using var loaded = new ResNet(ResNetBlock.Basic, 1, classes: 5, generator: new Generator(99));
        loaded.LoadSafeTensors(path);
        var expected = saved.StateDict();
        var actual = loaded.StateDict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, tensor) in expected)
        {
            var bits = tensor.DType == DType.I64 ? tensor.ToArray<long>() : tensor.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray();
            var other = actual[name].DType == DType.I64 ? actual[name].ToArray<long>() : actual[name].ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray();
            Assert.True(bits.SequenceEqual(other), $"{name} differs after loading");
        }
        Assert.Equal(1L, actual["bn1.num_batches_tracked"].Item<long>());
    }

    [Fact]
    public void MissingTensorsAndShapeOrDtypeMismatchesNameTheFileAndTheTensor()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        using (var small = new Sequential(new Linear(4, 3), new Linear(3, 2))) small.SaveSafeTensors(path);
        using var deeper = new Sequential(new Linear(4, 3), new Linear(3, 2), new Linear(2, 2));
        Expect.Throws<InvalidDataException>(() => deeper.LoadSafeTensors(path), path, "missing: 2.weight, 2.bias");
        deeper.LoadSafeTensors(path, strict: false);
        using var wider = new Sequential(new Linear(4, 5), new Linear(5, 2));
        Expect.Throws<InvalidDataException>(() => wider.LoadSafeTensors(path), "0.weight: shape [3, 4] in the state, [5, 4] in the module");
        using var doubles = new Sequential(new Linear(4, 3, dtype: DType.F64), new Linear(3, 2, dtype: DType.F64));
        Expect.Throws<InvalidDataException>(() => doubles.LoadSafeTensors(path), "0.weight: dtype F32 in the state, F64 in the module");
    }
}
