import subprocess
import sys


def test_forecasting_imports_neither_dagster_nor_streamlit():
    code = (
        "import sys, forecasting.select, forecasting.backtest, forecasting.metrics, forecasting.models; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dagster', 'streamlit'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
