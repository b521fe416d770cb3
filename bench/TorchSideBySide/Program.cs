using System.Diagnostics;
using Engine;
using Engine.Autodiff;
using Engine.NN;
using TorchSharp;
using static TorchSharp.torch;

// Times Engine and libtorch 2.10 (TorchSharp-cpu, oneDNN) on the same F32 workloads and inputs in one process, in
// alternating turns: conv3x3 N=32 C=64->64 32x32 padding 1 forward; forward+backward (input and weight gradients); a
// ResNet basic block (conv-BN-ReLU-conv-BN + identity, ReLU) in training mode, forward+backward (input and every
// parameter). Thread count: DOTNET_PROCESSOR_COUNT for both sides. Prints the median of the rounds (argument, 15).
// Each turn is followed by 20 ms of sleep, so libtorch's OpenMP workers stop spinning before the engine's turn.
int threads = Environment.ProcessorCount;
torch.set_num_threads(threads);
Console.WriteLine($"threads: engine {Environment.ProcessorCount}, torch {torch.get_num_threads()}");
var rounds = int.Parse(args.Length > 0 ? args[0] : "15");

var g = new Engine.Random.Generator(1);
var ex = Engine.Tensor.Randn([32, 64, 32, 32], DType.F32, g); ex.RequiresGrad = true;
var ew = (Engine.Tensor.Randn([64, 64, 3, 3], DType.F32, g) * 0.05).DetachFromScopes(); ew.RequiresGrad = true;
var egy = Engine.Tensor.Randn([32, 64, 32, 32], DType.F32, g);
var block = new BasicBlock(64, 64, generator: g);

var tx = torch.tensor(ex.ToArray<float>(), new long[] { 32, 64, 32, 32 }).requires_grad_();
var tw = torch.tensor(ew.ToArray<float>(), new long[] { 64, 64, 3, 3 }).requires_grad_();
var tgy = torch.tensor(egy.ToArray<float>(), new long[] { 32, 64, 32, 32 });
var conv1 = nn.Conv2d(64, 64, 3, padding: 1, bias: false); var bn1 = nn.BatchNorm2d(64);
var conv2 = nn.Conv2d(64, 64, 3, padding: 1, bias: false); var bn2 = nn.BatchNorm2d(64);
var tparams = new[] { conv1.weight!, bn1.weight!, bn1.bias!, conv2.weight!, bn2.weight!, bn2.bias! };

var cases = new (string Name, double Gflop, Action Engine, Action Torch)[]
{
    ("conv3x3 fwd", 2.416, () => { using var s = TensorScope.Begin(); using var n = Tape.NoGrad(); Functional.Conv2d(ex, ew, null, 1, 1); },
        () => { using var d = torch.NewDisposeScope(); using var n = torch.no_grad(); nn.functional.conv2d(tx, tw, null, padding: new long[] { 1, 1 }); }),
    ("conv3x3 fwd+bwd", 3 * 2.416, () => { using var s = TensorScope.Begin(); using var t = Tape.Record(); var y = Functional.Conv2d(ex, ew, null, 1, 1); t.Gradients([y], [egy], [ex, ew]); },
        () => { using var d = torch.NewDisposeScope(); var y = nn.functional.conv2d(tx, tw, null, padding: new long[] { 1, 1 }); torch.autograd.grad(new[] { y }, new[] { tx, tw }, new[] { tgy }); }),
    ("basic block fwd+bwd", 6 * 2.416, () => { using var s = TensorScope.Begin(); using var t = Tape.Record(); var y = block.Forward(ex); t.Gradients([y], [egy], [ex, .. block.Parameters()]); },
        () => { using var d = torch.NewDisposeScope(); var h = nn.functional.relu(bn1.forward(conv1.forward(tx))); var y = nn.functional.relu(bn2.forward(conv2.forward(h)) + tx);
                torch.autograd.grad(new[] { y }, new[] { tx }.Concat(tparams).ToArray(), new[] { tgy }); }),
};
foreach (var (name, gflop, engine, torchCase) in cases)
{
    for (int i = 0; i < 3; i++) { engine(); torchCase(); }
    var te = new List<double>(); var tt = new List<double>();
    for (int r = 0; r < rounds; r++)
    {
        var sw = Stopwatch.StartNew(); engine(); te.Add(sw.Elapsed.TotalMilliseconds);
        Thread.Sleep(20);
        sw.Restart(); torchCase(); tt.Add(sw.Elapsed.TotalMilliseconds);
        Thread.Sleep(20);
    }
    double me = Median(te), mt = Median(tt);
    Console.WriteLine($"{name,-22} engine {me,8:F1} ms ({gflop / me * 1000,6:F1} GFLOP/s)   torch {mt,8:F1} ms ({gflop / mt * 1000,6:F1} GFLOP/s)   engine/torch {me / mt:F2}");
}
static double Median(List<double> v) { v.Sort(); return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2; }
