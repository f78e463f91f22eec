"""The donor's own pledges and receipts in the API (below ``/api/me/``): the same services
and selectors as the website's pages, always limited to the requester."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from welfare_net.http import requester

from . import selectors, services
from .filters import PledgeFilter
from .models import DonationPledge, DonationReceipt
from .serializers import MyPledgeCreateSerializer, MyPledgeSerializer, MyReceiptSerializer


class PledgeListApi(generics.ListAPIView[DonationPledge]):
    """The resident's pledges, newest first, each with its receipt once issued."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyPledgeSerializer
    filterset_class = PledgeFilter
    ordering_fields = ["created_at", "amount_won"]

    def get_queryset(self) -> QuerySet[DonationPledge]:
        return selectors.pledges_for_donor(donor=requester(self.request))


class PledgeCreateApi(APIView):
    """Pledge money or goods to an open project, as on the website (logging in is
    enough). A money pledge gets its receipt once the donation is received."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MyPledgeCreateSerializer, responses={201: MyPledgeSerializer})
    def post(self, request: Request) -> HttpResponse:
        user = requester(request)
        given = MyPledgeCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        pledge = services.pledge_create(donor=user, **given.validated_data)
        shown = selectors.pledges_for_donor(donor=user).get(pk=pledge.pk)
        return Response(MyPledgeSerializer(shown).data, status=201)


class PledgeDetailApi(generics.RetrieveAPIView[DonationPledge]):
    permission_classes = [IsAuthenticated]
    serializer_class = MyPledgeSerializer

    def get_queryset(self) -> QuerySet[DonationPledge]:
        return selectors.pledges_for_donor(donor=requester(self.request))


class ReceiptListApi(generics.ListAPIView[DonationReceipt]):
    """The resident's donation receipts, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyReceiptSerializer
    ordering_fields = ["issued_on"]

    def get_queryset(self) -> QuerySet[DonationReceipt]:
        return selectors.receipts_for_donor(donor=requester(self.request))


class ReceiptDetailApi(generics.RetrieveAPIView[DonationReceipt]):
    """One receipt: number, date, amount, donor and recipient organisation."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyReceiptSerializer

    def get_queryset(self) -> QuerySet[DonationReceipt]:
        return selectors.receipts_for_donor(donor=requester(self.request))
