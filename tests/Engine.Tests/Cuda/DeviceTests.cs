using Engine.Autodiff;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>Tensors on the CUDA device: moving between devices (and gradients across), device errors, and what kernels report.</summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class DeviceTests
{
    public static TheoryData<DType, Layout> Cases() => Sample.InEveryLayout(Sample.AllTypes);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToDeviceAndBackKeepsTheValues(DType dtype, Layout layout)
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var (x, r) = Sample.Make(60, [5, 7, 3], dtype, layout, -100, 100);
        var onDevice = x.To(device);
        Assert.Equal(device, onDevice.Device);
        Assert.True(onDevice.IsContiguous);
        Check.Exact(r, onDevice, $"{dtype} {layout} on {device}");
        var back = onDevice.To(Device.Cpu);
        Assert.Equal(Device.Cpu, back.Device);
        Check.Exact(r, back, $"{dtype} {layout} back on the CPU");
        Assert.Equal(r.Data[5], onDevice.Reshape(-1).Narrow(0, 5, 1).Item<double>());
    }

    [Fact]
    public void ToTheSameDeviceSharesTheElements()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([3], DType.F32, device);
        var same = x.To(device);
        same.CopyFrom(Tensor.Full([3], 2, DType.F32, device));
        Assert.Equal([2f, 2f, 2f], x.ToArray<float>());
    }

    /// <summary>Gradients flow back across a device move, to the device the input came from.</summary>
    [Fact]
    public void GradientsFlowAcrossDevices()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var x = Tensor.From(new[] { 0.5, -1.0, 2.0 });
        using var tape = Tape.Record();
        tape.Watch(x);
        var loss = (x.To(device).Exp() * 3).To(Device.Cpu).Sum();
        var grad = tape.Gradients(loss, x)[0];
        Assert.Equal(Device.Cpu, grad.Device);
        Check.Close(Ref.Of([3], 3 * Math.Exp(0.5), 3 * Math.Exp(-1), 3 * Math.Exp(2)), grad, 1e-14, 0, "d/dx sum(3 exp(x))");
    }

    /// <summary>Parameters on the device: Backward fills their Grad there, with the CPU's values.</summary>
    [Fact]
    public void BackwardFillsGradientsOnTheDevice()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var (w, _) = Sample.Make(70, [4, 3], DType.F64, Layout.Contiguous);
        var (x, _) = Sample.Make(71, [8, 3], DType.F64, Layout.Transposed);
        Tensor Gradient(Device on)
        {
            using var parameter = w.To(on).Detach();
            parameter.RequiresGrad = true;
            using (var tape = Tape.Record())
                tape.Backward(Tensor.Linear(x.To(on), parameter).Sigmoid().Square().Sum());
            Assert.Equal(on, parameter.Grad!.Device);
            return parameter.Grad.To(Device.Cpu);
        }
        Conformance.Compare("Backward into Grad", Gradient(Device.Cpu), Gradient(device), DeviceTol.Accumulated(DType.F64));
    }

    [Fact]
    public void MixingDevicesNamesBothDevices()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var cpu = Tensor.Ones([2, 3]);
        var gpu = Tensor.Ones([2, 3], DType.F32, device);
        var index = Tensor.From(new long[] { 0, 1 });
        (string, Action)[] mixes =
        [
            ("Add", () => _ = cpu + gpu),
            ("MatMul", () => cpu.MatMul(gpu.Transpose())),
            ("Where", () => Tensor.Where(cpu, gpu, gpu)),
            ("Concat", () => Tensor.Concat([gpu, cpu])),
            ("LinearCombination", () => Tensor.LinearCombination(gpu, [1.0], [cpu])),
            ("IndexSelect", () => gpu.IndexSelect(0, index)),
            ("Gather", () => gpu.Gather(1, Tensor.Zeros([2, 2], DType.I64))),
            ("CopyFrom", () => gpu.CopyFrom(cpu)),
        ];
        foreach (var (op, mix) in mixes)
            Expect.Throws<ArgumentException>(mix, op, "cpu", device.ToString());
    }

    [Fact]
    public void ToStringAndItemReadTheDevice()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 4, dtype: DType.F64, device: device);
        Assert.Equal($"Tensor([4], F64, {device})\n[0, 1, 2, 3]", x.ToString());
        Assert.Equal(6.0, x.Sum().Item<double>());
    }

    [Fact]
    public void DeviceIndicesAreChecked()
    {
        Expect.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1), "not negative");
        _ = CudaTest.Device;
        if (CudaTest.Backend.IsEmulated)
            Expect.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([1], DType.F32, Device.Cuda(1)), "cuda:1", "cuda:0 only");
        else
            Expect.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros([1], DType.F32, Device.Cuda(CudaDevices.Count)), $"cuda:{CudaDevices.Count} does not exist");
    }
}
