"""Where the shared model corpus lives, and which of its models mcucompile must support."""
from __future__ import annotations

import os
from pathlib import Path

MODELS_DIR = Path(os.environ.get("MCUCOMPILE_MODELS", Path(__file__).resolve().parents[3] / "shared" / "models"))

SUPPORTED_WHOLE_MODELS = [
    "mlperf_ad_toycar_int8",
    "mlperf_ic_resnet8_fp32",
    "mlperf_ic_resnet8_int8",
    "mlperf_kws_dscnn_int8",
    "mww_hey_jarvis",
    "mww_okay_nabu",
    "tflm_hello_world_float",
    "tflm_hello_world_int8",
    "tflm_micro_speech_int8",
    "tflm_person_detect_int8",
    "tflm_simple_add",
    "tiny_cnn_int16x8",
    "tiny_cnn_int8",
]

# Models the reader must refuse, with the word each refusal must contain.
REJECTED_MODELS = {
    "mlperf_kws_dscnn_hybrid": "hybrid",
    "tflm_audio_preprocessor_int8": "custom operators are not supported: SignalWindow #0",
    "tflm_keyword_scrambled": "SVDF #1",
    "tflm_mnist_lstm_float": "UNIDIRECTIONAL_SEQUENCE_LSTM #0",
    "tflm_mnist_lstm_int8": "UNIDIRECTIONAL_SEQUENCE_LSTM #0",
}


def model_path(name: str) -> Path:
    return MODELS_DIR / f"{name}.tflite"


def seanet_models() -> list[str]:
    return sorted(p.stem for p in (MODELS_DIR / "seanet").glob("*.tflite"))
