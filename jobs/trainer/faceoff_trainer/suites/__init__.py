"""The five task suites, by name."""

from __future__ import annotations

from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.suites.code_generation import CodeGeneration
from faceoff_trainer.suites.creative_writing import CreativeWriting
from faceoff_trainer.suites.customer_service import CustomerService
from faceoff_trainer.suites.data_analysis import DataAnalysis
from faceoff_trainer.suites.technical_documentation import TechnicalDocumentation

SUITES: dict[str, type[TaskSuite]] = {
    "customer_service": CustomerService,
    "code_generation": CodeGeneration,
    "creative_writing": CreativeWriting,
    "data_analysis": DataAnalysis,
    "technical_documentation": TechnicalDocumentation,
}


def get_suite(name: str) -> TaskSuite:
    return SUITES[name]()


__all__ = ["SUITES", "MetricInfo", "TaskItem", "TaskSuite", "get_suite"]
