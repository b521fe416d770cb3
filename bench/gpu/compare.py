"""Pairs the rows of Engine's and PyTorch's GPU benchmark CSVs (same run, same device) into one Markdown table.

    python3 compare.py engine.csv torch.csv
"""
import csv
import sys


def read(path):
    with open(path) as f:
        return {row["workload"]: row for row in csv.DictReader(f)}


def main():
    engine, torch = read(sys.argv[1]), read(sys.argv[2])
    copy = float(engine["copy"]["rate"]) if "copy" in engine else float("nan")
    print("| workload | Engine ms | PyTorch ms | Engine / PyTorch time | Engine rate | share of Engine's copy bandwidth | PyTorch rate |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, row in engine.items():
        unit = "GB/s" if row["unit"] == "Bytes" else "TFLOP/s"
        ms, rate = float(row["median_ms"]), float(row["rate"])
        other = torch.get(name)
        torch_ms = float(other["median_ms"]) if other else float("nan")
        torch_rate = f"{float(other['rate']):.1f} {unit}" if other else "-"
        share = f"{100 * rate / copy:.1f}%" if row["unit"] == "Bytes" else "-"
        print(f"| {name} | {ms:.3f} | {torch_ms:.3f} | {ms / torch_ms:.2f} | {rate:.1f} {unit} | {share} | {torch_rate} |")


if __name__ == "__main__":
    main()
